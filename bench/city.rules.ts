/**
 * The synthetic city's pure part: which persons, organisations, classes, vouchers, evaluations,
 * certificates, claims and reports exist, as plain rows, from (seed, scale, chunk) alone. No I/O:
 * bench/city.ts encrypts the PII columns with the server's keys and loads the rows with COPY.
 *
 * Proportions (../shared/data/sizing.md: 0.2–0.4 M trainee-course records and 0.15–0.3 M
 * certificates a year on a registered base of up to ~4 M persons, i.e. about 7.5 % and 5.6 % of
 * the base a year). Per person and year (2022–2025, and 2026 up to CITY_NOW):
 *   - a training voucher with p = VOUCHER_RATE (4 %): about 92 % are bound to a class; of the
 *     trainees 92 % pass completion, 88 % of those sit an evaluation and 87 % pass it; 88 % of
 *     the certified vouchers are redeemed (a training-subsidy claim);
 *   - a training reported by a responsible unit (training_reports) with p = REPORT_RATE (4.1 %);
 *   - a certificate issued elsewhere (external_certificates) with p = EXTERNAL_RATE (3 %).
 * Hence about 7.5 trainee-course records and 5 certificates per 100 persons a year: 1 M persons
 * give ≈ 75 k training records and ≈ 50 k certificates a year, the envelope's proportion.
 * Counties are weighted by the 7th-census populations sizing.md gives (永城, 虞城, 睢阳, 民权);
 * the five counties it has no figure for share the rest of the city's 7,816,831 evenly.
 */
import { idNumberCheckChar } from '../apps/api/src/modules/persons/id-number.rules.js';
import {
  organisationCodeCheckChar,
  usccCheckChar,
} from '../apps/api/src/modules/organisations/uscc.rules.js';
import {
  formatVoucherNumber,
  VOUCHER_STATES,
} from '../apps/api/src/modules/vouchers/vouchers.rules.js';
import { formatSkillLevelNumber } from '../apps/api/src/modules/certificates/certificates.rules.js';
import { formatClaimNumber } from '../apps/api/src/modules/subsidies/subsidies.rules.js';
import { maskIdNumber } from '../apps/api/src/platform/crypto/mask.js';

/** Persons per chunk: one transaction loads them and all their facts. */
export const CHUNK_SIZE = 10_000;
/** The city's "today": 2026-11-01 00:00 in Shanghai. Nothing generated happens later, except
 * the sessions of classes still running or not yet begun then. */
export const CITY_NOW = Date.UTC(2026, 9, 31, 16);
export const YEARS = [2022, 2023, 2024, 2025, 2026] as const;
export const VOUCHER_RATE = 0.04;
export const REPORT_RATE = 0.041;
export const EXTERNAL_RATE = 0.03;

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Birth dates 1960-01-01 … 2005-12-31 (16 or older in 2022), each with 600 sequence numbers. */
const BIRTH_EPOCH = Date.UTC(1960, 0, 1);
const BIRTH_DAYS = 16_802;
/**
 * Sequence numbers 400–999 only: P1's rosters (bench/generate.ts, seeds 1–3) use 100–399, so a
 * roster person never shares an ID number with a city person.
 */
const SEQ_FIRST = 400;
const SEQ_COUNT = 600;
export const MAX_SCALE = BIRTH_DAYS * SEQ_COUNT;

/** Shangqiu's counties, their population weight, and the codes their ID numbers carried. */
export const COUNTIES = [
  { code: '411402', name: '梁园区', population: 785_794, before1997: '412301' },
  { code: '411403', name: '睢阳区', population: 912_971, before1997: '412322' },
  { code: '411421', name: '民权县', population: 746_389, before1997: '412323' },
  { code: '411422', name: '睢县', population: 785_794, before1997: '412325' },
  { code: '411423', name: '宁陵县', population: 785_794, before1997: '412324' },
  { code: '411424', name: '柘城县', population: 785_794, before1997: '412327' },
  { code: '411425', name: '虞城县', population: 972_100, before1997: '412321' },
  { code: '411426', name: '夏邑县', population: 785_794, before1997: '412326' },
  { code: '411481', name: '永城市', population: 1_256_400, before1997: '412328' },
] as const;

/** The address code an ID number got in its birth year (商丘地区 became 商丘市 in 1997). */
export function idRegionCode(county: (typeof COUNTIES)[number], birthYear: number): string {
  if (birthYear >= 1997) return county.code;
  // 永城县 became the county-level 永城市 (412302) in 1996.
  if (county.code === '411481' && birthYear === 1996) return '412302';
  return county.before1997;
}

/** Common training occupations of the 2022 大典 (level 4), checked by the occupations FK. */
export const OCCUPATIONS = [
  ['4-10-01-03', '保育师'],
  ['4-10-01-06', '家政服务员'],
  ['6-31-01-03', '电工'],
  ['6-18-02-04', '焊工'],
  ['4-03-02-01', '中式烹调师'],
  ['4-03-02-02', '中式面点师'],
  ['4-03-02-04', '西式面点师'],
  ['4-10-03-01', '美容师'],
  ['4-10-03-02', '美发师'],
  ['4-10-01-05', '养老护理员'],
  ['4-01-06-01', '电子商务师'],
  ['5-05-01-02', '农业经理人'],
  ['4-12-01-01', '汽车维修工'],
  ['4-07-05-01', '保安员'],
  ['4-03-02-07', '茶艺师'],
  ['4-01-06-02', '互联网营销师'],
  ['4-14-02-02', '健康管理师'],
  ['6-29-03-03', '电梯安装维修工'],
  ['6-29-01-01', '砌筑工'],
  ['6-29-01-04', '钢筋工'],
  ['5-01-02-01', '农艺工'],
  ['5-03-02-01', '家畜饲养员'],
  ['6-05-01-03', '缝纫工'],
  ['4-02-07-08', '快递员'],
  ['4-10-08-01', '网约配送员'],
  ['4-10-04-02', '保健按摩师'],
  ['4-03-02-05', '餐厅服务员'],
  ['4-01-02-04', '收银员'],
  ['6-18-01-01', '车工'],
  ['6-31-01-02', '机修钳工'],
  ['4-04-05-01', '计算机程序设计员'],
  ['4-02-06-03', '物流服务师'],
  ['4-02-06-01', '仓储管理员'],
  ['4-03-02-10', '调饮师'],
  ['5-01-02-05', '中药材种植员'],
] as const;

/** Levels trained and evaluated: 五级 60 %, 四级 30 %, 三级 10 %. */
const LEVELS = [
  { key: 'level5', digit: 5, name: '初级', weight: 0.6, standardFen: 120_000 },
  { key: 'level4', digit: 4, name: '中级', weight: 0.3, standardFen: 150_000 },
  { key: 'level3', digit: 3, name: '高级', weight: 0.1, standardFen: 180_000 },
] as const;
const VOUCHER_VALUE_FEN = 150_000;

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅玉志鹏飞浩然雪慧';
const EDUCATION = [
  ['primary', 0.08],
  ['junior_high', 0.38],
  ['senior_high', 0.2],
  ['secondary_vocational', 0.12],
  ['college', 0.12],
  ['bachelor', 0.08],
  [null, 0.02],
] as const;
const EMPLOYMENT = [
  ['employed', 0.42],
  ['unemployed', 0.08],
  ['flexible', 0.14],
  ['student', 0.06],
  ['farming', 0.22],
  ['unknown', 0.08],
] as const;
const SPECIAL_OPERATIONS = [
  '电工作业/低压电工作业',
  '焊接与热切割作业/熔化焊接与热切割作业',
  '高处作业/登高架设作业',
  '制冷与空调作业/制冷与空调设备运行操作作业',
];
const SPECIAL_ABILITIES = ['电子商务（网店运营）', '中式面点制作', '家庭保洁', '手工编织'];

/** Reference rows the generator needs from the database (or, in tests, from fixtures). */
export interface Catalog {
  /** Township codes (9 digits) per county code. */
  townships: Record<string, string[]>;
  keyGroups: string[];
  /** Responsible unit per county code (annex 1). */
  countyUnits: Record<string, string>;
  /** Every (plan, unit) pair a class may count for. */
  planUnits: { planNo: number; unitId: string }[];
}

export type Row = (string | number | boolean | null)[];
/** Rows per table, in the column order of CITY_COLUMNS. */
export type Tables = Record<keyof typeof CITY_COLUMNS, Row[]>;

/** Counters carried from chunk to chunk (stored with each chunk's marker, for resumption). */
export interface Counters {
  voucherSerial: number;
  claimSerial: number;
  statusIndex: number;
  externalSerial: number;
  /** Last certificate serial per `siteIndex|year|levelDigit`. */
  certSerials: Record<string, number>;
}

export function initialCounters(): Counters {
  return { voucherSerial: 0, claimSerial: 0, statusIndex: 0, externalSerial: 0, certSerials: {} };
}

/** Columns of every table the city writes, in COPY order. */
export const CITY_COLUMNS = {
  organisations: [
    'id',
    'kind',
    'name',
    'uscc',
    'region_code',
    'address',
    'contact_name',
    'status',
    'evaluation_type',
    'institution_code',
    'size_class',
    'affiliation',
    'affiliation_region_code',
    'bank_name',
    'bank_account_name',
    'bank_account_no',
    'created_at',
    'updated_at',
  ],
  evaluation_sites: [
    'id',
    'organisation_id',
    'name',
    'serial_code',
    'region_code',
    'address',
    'created_at',
    'updated_at',
  ],
  evaluation_scopes: [
    'id',
    'site_id',
    'occupation_code',
    'occupation_level',
    'skill_level_key',
    'valid_from',
    'valid_to',
    'created_at',
    'updated_at',
  ],
  persons: [
    'id',
    'id_number',
    'phone',
    'name',
    'sex',
    'birth_date',
    'id_region_code',
    'household_region_code',
    'residence_region_code',
    'region_code',
    'education',
    'employment_status',
    'source',
    'created_at',
    'updated_at',
  ],
  person_key_groups: ['person_id', 'key_group_code'],
  classes: [
    'id',
    'organisation_id',
    'name',
    'occupation_code',
    'occupation_level',
    'skill_level_key',
    'plan_no',
    'unit_id',
    'training_type',
    'region_code',
    'address',
    'capacity',
    'offline_minutes',
    'subsidy_standard_fen',
    'state',
    'starts_at',
    'ends_at',
    'submitted_at',
    'decided_at',
    'created_at',
    'updated_at',
  ],
  class_sessions: ['id', 'class_id', 'seq', 'starts_at', 'ends_at'],
  vouchers: [
    'id',
    'number',
    'person_id',
    'occupation_code',
    'occupation_level',
    'value_fen',
    'valid_from',
    'valid_to',
    'state',
    'class_id',
    'organisation_id',
    'subsidy_standard_fen',
    'bound_at',
    'region_code',
    'source',
    'certificate_id',
    'certified_at',
    'created_at',
    'updated_at',
  ],
  class_trainees: [
    'id',
    'class_id',
    'person_id',
    'voucher_id',
    'enrolled_at',
    'completion_result',
    'completion_score',
    'attended_minutes',
    'completed_at',
  ],
  class_attendance: [
    'id',
    'class_id',
    'session_id',
    'person_id',
    'session_range',
    'checked_in_at',
    'check_in_method',
    'checked_out_at',
    'check_out_method',
  ],
  evaluation_sessions: [
    'id',
    'organisation_id',
    'site_id',
    'scope_id',
    'occupation_code',
    'occupation_level',
    'skill_level_key',
    'held_on',
    'theory_pass_mark',
    'practical_pass_mark',
    'state',
    'region_code',
    'submitted_at',
    'created_at',
    'updated_at',
  ],
  evaluation_candidates: [
    'id',
    'session_id',
    'person_id',
    'source',
    'voucher_id',
    'theory_score',
    'practical_score',
    'result',
    'created_at',
    'updated_at',
  ],
  certificates: [
    'id',
    'number',
    'kind',
    'person_id',
    'occupation_code',
    'occupation_level',
    'skill_level_key',
    'holder_name',
    'holder_id_number_masked',
    'organisation_id',
    'site_id',
    'issuer_name',
    'session_id',
    'candidate_id',
    'issued_on',
    'status',
    'revoked_at',
    'revocation_reason',
    'status_list_index',
    'region_code',
    'created_at',
    'updated_at',
  ],
  subsidy_claims: [
    'id',
    'number',
    'kind',
    'payee_organisation_id',
    'person_id',
    'amount_fen',
    'voucher_id',
    'class_id',
    'certificate_id',
    'evidence',
    'status',
    'region_code',
    'created_at',
    'updated_at',
  ],
  training_reports: [
    'id',
    'unit_id',
    'organisation_id',
    'plan_no',
    'title',
    'occupation_code',
    'skill_level_key',
    'start_on',
    'end_on',
    'hours',
    'period',
    'source',
    'status',
    'created_at',
    'updated_at',
  ],
  training_report_trainees: ['report_id', 'person_id', 'completed'],
  external_certificates: [
    'id',
    'kind',
    'number',
    'person_id',
    'occupation_code',
    'skill_level_key',
    'item_name',
    'issuer_name',
    'issuing_province_code',
    'issued_on',
    'valid_until',
    'unit_id',
    'period',
    'source',
    'status',
    'created_at',
    'updated_at',
  ],
} as const;

/** A seeded PRNG (mulberry32): the same seed gives the same rows every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of a few integers (seeds of per-chunk PRNGs). */
function mix(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Everything shared by all chunks, from (seed, scale) alone. */
export interface CityPlan {
  seed: number;
  scale: number;
  chunks: number;
  trainingInstitutions: number;
  evaluationInstitutions: number;
  employers: number;
  /** ID-number slot permutation: slot = (a·i + b) mod MAX_SCALE. */
  a: number;
  b: number;
  seedBits: number;
}

export function cityPlan(seed: number, scale: number): CityPlan {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new RangeError(`scale must be 1…${MAX_SCALE}`);
  }
  const random = prng(mix(seed, 0x5eed));
  let a = 1_000_003 + Math.floor(random() * 5_000_000);
  while (gcd(a, MAX_SCALE) !== 1) a += 1;
  return {
    seed,
    scale,
    chunks: Math.ceil(scale / CHUNK_SIZE),
    // About one institution per 10 k persons, one evaluation institution per 40 k, one employer
    // per 2 k: a 4 M city has some 400 training institutions and 100 evaluation institutions.
    trainingInstitutions: Math.min(1000, Math.max(3, Math.round(scale / 10_000))),
    evaluationInstitutions: Math.min(250, Math.max(2, Math.round(scale / 40_000))),
    employers: Math.min(5000, Math.max(5, Math.round(scale / 2_000))),
    a,
    b: Math.floor(random() * MAX_SCALE),
    seedBits: Math.floor(random() * 0x100000),
  };
}

/** Tags of the id factory: one per table, so ids of different tables never meet. */
const TAG = {
  organisation: 1,
  site: 2,
  scope: 3,
  person: 4,
  class: 5,
  session: 6,
  voucher: 7,
  trainee: 8,
  attendance: 9,
  evaluation: 10,
  candidate: 11,
  certificate: 12,
  claim: 13,
  report: 14,
  external: 15,
} as const;

/**
 * UUIDv7-shaped ids: the row's creation instant in the 48-bit time, then tag, chunk and a
 * per-chunk counter (unique by construction) and bits of the seed. They sort by creation time
 * like the app's own ids, which the counting views use to break ties.
 */
export function idFactory(plan: CityPlan, chunk: number) {
  const counters = new Map<number, number>();
  return (tag: number, at: number): string => {
    const local = (counters.get(tag) ?? 0) + 1;
    counters.set(tag, local);
    const time = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0');
    const randA = ((tag & 0x3f) << 6) | ((chunk >>> 14) & 0x3f);
    const b1 = 0x8000 | (chunk & 0x3fff);
    const b2 = local * 0x100000 + plan.seedBits;
    return (
      `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randA.toString(16).padStart(3, '0')}-` +
      `${b1.toString(16)}-${b2.toString(16).padStart(12, '0')}`
    );
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The Shanghai civil date of an instant. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
}

/** 00:00 in Shanghai of a civil date's day offset from 1 January of `year`. */
function shanghaiMidnight(year: number, dayOfYear: number): number {
  return Date.UTC(year, 0, 1) - 8 * HOUR + dayOfYear * DAY;
}

function pickWeighted<T>(random: () => number, items: readonly (readonly [T, number])[]): T {
  let r = random();
  for (const [item, weight] of items) {
    r -= weight;
    if (r < 0) return item;
  }
  return (items.at(-1) as readonly [T, number])[0];
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const COUNTY_WEIGHTS = (() => {
  const total = COUNTIES.reduce((sum, c) => sum + c.population, 0);
  return COUNTIES.map((c) => [c, c.population / total] as const);
})();

/** USCC: authority + type, the county, a GB 11714 organisation code and the check character. */
export function usccOf(prefix: string, county: string, index: number): string {
  const body = `MA${String(index).padStart(6, '0')}`;
  const first17 = `${prefix}${county}${body}${organisationCodeCheckChar(body)}`;
  return first17 + usccCheckChar(first17);
}

export interface Organisation {
  id: string;
  name: string;
  county: string;
}

const organisationCache = new WeakMap<CityPlan, ReturnType<typeof makeOrganisations>>();

/** The shared catalogue of organisations (written by chunk 0, referenced by every chunk). */
export function organisationsOf(plan: CityPlan) {
  let orgs = organisationCache.get(plan);
  if (!orgs) {
    orgs = makeOrganisations(plan);
    organisationCache.set(plan, orgs);
  }
  return orgs;
}

function makeOrganisations(plan: CityPlan) {
  const ids = idFactory(plan, 0);
  const random = prng(mix(plan.seed, 0x0a9));
  const created = Date.UTC(2021, 11, 1, 2);
  const rows: Row[] = [];
  const sites: Row[] = [];
  const scopes: Row[] = [];
  const training: Organisation[] = [];
  const evaluation: (Organisation & { siteId: string; serial: string; code: string })[] = [];
  const scopeIds = new Map<string, string>();
  let index = 0;
  const county = () => pickWeighted(random, COUNTY_WEIGHTS);
  for (let i = 0; i < plan.trainingInstitutions; i++) {
    const c = county();
    const id = ids(TAG.organisation, created + index);
    const name = `${c.name}${pick(random, ['阳光', '众诚', '华夏', '启航', '金手', '育才'])}职业技能培训学校${i + 1}`;
    rows.push([
      id,
      'training_institution',
      name,
      usccOf('52', c.code, ++index),
      c.code,
      `商丘市${c.name}人民路${i + 1}号`,
      null,
      'active',
      null,
      null,
      null,
      null,
      null,
      '中国农业银行商丘分行',
      name,
      `6228${String(10_000_000_000 + i).slice(1)}`,
      iso(created),
      iso(created),
    ]);
    training.push({ id, name, county: c.code });
  }
  for (let i = 0; i < plan.evaluationInstitutions; i++) {
    const c = county();
    const id = ids(TAG.organisation, created + index);
    const name = `商丘${pick(random, ['技师学院', '职业技术学院', '职业技能评价中心'])}${i + 1}`;
    const code = String(1000 + i).padStart(4, '0');
    rows.push([
      id,
      'evaluation_institution',
      name,
      usccOf('91', c.code, ++index),
      c.code,
      `商丘市${c.name}神火大道${i + 1}号`,
      null,
      'active',
      'S',
      code,
      null,
      null,
      null,
      null,
      null,
      null,
      iso(created),
      iso(created),
    ]);
    const siteId = ids(TAG.site, created + i);
    const serial = `411${String(i + 1).padStart(3, '0')}`;
    sites.push([
      siteId,
      id,
      `${name}考点`,
      serial,
      c.code,
      `商丘市${c.name}`,
      iso(created),
      iso(created),
    ]);
    for (const [occupation] of OCCUPATIONS) {
      for (const level of LEVELS) {
        const scopeId = ids(TAG.scope, created);
        scopes.push([
          scopeId,
          siteId,
          occupation,
          4,
          level.key,
          '2022-01-01',
          '2027-12-31',
          iso(created),
          iso(created),
        ]);
        scopeIds.set(`${i}|${occupation}|${level.key}`, scopeId);
      }
    }
    evaluation.push({ id, name, county: c.code, siteId, serial, code });
  }
  for (let i = 0; i < plan.employers; i++) {
    const c = county();
    const id = ids(TAG.organisation, created + index);
    const size = pickWeighted(random, [
      ['large', 0.05],
      ['medium', 0.2],
      ['small', 0.4],
      ['micro', 0.35],
    ] as const);
    const affiliation = pickWeighted(random, [
      ['city', 0.3],
      ['county', 0.6],
      ['provincial', 0.1],
    ] as const);
    rows.push([
      id,
      'employer',
      `商丘${pick(random, ['豫东', '商都', '宋城', '永煤', '华商', '金鼎'])}${pick(random, ['食品', '纺织', '机械', '物流', '建材', '电子'])}有限公司${i + 1}`,
      usccOf('91', c.code, ++index),
      c.code,
      `商丘市${c.name}`,
      null,
      'active',
      null,
      null,
      size,
      affiliation,
      affiliation === 'county' ? c.code : null,
      null,
      null,
      null,
      iso(created),
      iso(created),
    ]);
  }
  return { rows, sites, scopes, training, evaluation, scopeIds };
}

/** One person of the city, before encryption: what the deterministic test compares. */
export interface CityPerson {
  index: number;
  id: string;
  idNumber: string;
  phone: string | null;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  county: string;
  createdAt: number;
}

/** The persons of a chunk and their facts, every row but the PII columns in final form. */
export function generateChunk(
  plan: CityPlan,
  catalog: Catalog,
  chunk: number,
  counters: Counters,
): { tables: Tables; persons: CityPerson[]; counters: Counters } {
  const random = prng(mix(plan.seed, chunk, 0xc17));
  const ids = idFactory(plan, chunk);
  const next: Counters = { ...counters, certSerials: { ...counters.certSerials } };
  const tables = Object.fromEntries(
    Object.keys(CITY_COLUMNS).map((t) => [t, []]),
  ) as unknown as Tables;
  const orgs = organisationsOf(plan);
  if (chunk === 0) {
    tables.organisations.push(...orgs.rows);
    tables.evaluation_sites.push(...orgs.sites);
    tables.evaluation_scopes.push(...orgs.scopes);
  }

  // 1. Persons.
  const persons: CityPerson[] = [];
  const first = chunk * CHUNK_SIZE;
  const count = Math.min(CHUNK_SIZE, plan.scale - first);
  const masked = new Map<string, string>();
  for (let k = 0; k < count; k++) {
    const index = first + k;
    const slot =
      (Number((BigInt(plan.a) * BigInt(index)) % BigInt(MAX_SCALE)) + plan.b) % MAX_SCALE;
    const birth = BIRTH_EPOCH + Math.floor(slot / SEQ_COUNT) * DAY;
    const sequence = SEQ_FIRST + (slot % SEQ_COUNT);
    const county = pickWeighted(random, COUNTY_WEIGHTS);
    const birthDate = iso(birth).slice(0, 10);
    const first17 = `${idRegionCode(county, Number(birthDate.slice(0, 4)))}${birthDate.replaceAll('-', '')}${sequence}`;
    const idNumber = first17 + idNumberCheckChar(first17);
    const createdAt = Date.UTC(2022, 0, 4, 1) + Math.floor(random() * 55 * DAY);
    const name =
      pick(random, [...SURNAMES]) +
      pick(random, [...GIVEN]) +
      (random() < 0.6 ? pick(random, [...GIVEN]) : '');
    const phone =
      random() < 0.85
        ? `1${pick(random, ['3', '5', '7', '8', '9'])}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`
        : null;
    const townships = catalog.townships[county.code] ?? [];
    const residence = random() < 0.85 && townships.length > 0 ? pick(random, townships) : null;
    const person: CityPerson = {
      index,
      id: ids(TAG.person, createdAt),
      idNumber,
      phone,
      name,
      sex: sequence % 2 === 1 ? 'M' : 'F',
      birthDate,
      county: county.code,
      createdAt,
    };
    persons.push(person);
    masked.set(person.id, maskIdNumber(idNumber));
    tables.persons.push([
      person.id,
      idNumber,
      phone,
      name,
      person.sex,
      birthDate,
      idNumber.slice(0, 6),
      county.code,
      residence,
      county.code,
      pickWeighted(random, EDUCATION),
      pickWeighted(random, EMPLOYMENT),
      random() < 0.8 ? 'import' : 'manual',
      iso(createdAt),
      iso(createdAt),
    ]);
    const groups = new Set<string>();
    if (random() < 0.45) groups.add(pick(random, catalog.keyGroups));
    if (random() < 0.1) groups.add(pick(random, catalog.keyGroups));
    for (const g of groups) tables.person_key_groups.push([person.id, g]);
  }

  // 2. Episodes: vouchers, reported trainings, external certificates, per person and year.
  type Phase = 'past' | 'ongoing' | 'future';
  interface VoucherEpisode {
    person: CityPerson;
    year: number;
    bound: boolean;
    phase: Phase;
    forced?: string;
  }
  /** Persons holding the forced vouchers get no other voucher that year (sessions never overlap). */
  const forcedPersons = chunk === 0 ? 9 : 0;
  const vouchers: VoucherEpisode[] = [];
  const reports = new Map<string, CityPerson[]>();
  const occupationsOf = new Map<string, Set<string>>();
  persons.forEach((person, k) => {
    for (const year of YEARS) {
      if (random() < VOUCHER_RATE && !(k < forcedPersons && year === 2026)) {
        const bound = random() < 0.92;
        const r = random();
        const phase: Phase =
          year < 2026 || !bound ? 'past' : r < 0.1 ? 'future' : r < 0.2 ? 'ongoing' : 'past';
        vouchers.push({ person, year, bound, phase });
      }
      if (random() < REPORT_RATE) {
        const unit =
          random() < 0.7
            ? (catalog.countyUnits[person.county] ?? '')
            : pick(random, catalog.planUnits).unitId;
        const key = `${year}|${unit}`;
        const list = reports.get(key);
        if (list) list.push(person);
        else reports.set(key, [person]);
      }
      if (random() < EXTERNAL_RATE) externalCertificate(person, year);
    }
  });
  // The first persons of the city hold one voucher in each state, so even a tiny city has all.
  if (chunk === 0) {
    VOUCHER_STATES.forEach((state, i) => {
      const person = persons[i];
      if (!person) return;
      const bound = !['issued', 'expired', 'cancelled'].includes(state);
      const phase: Phase =
        state === 'bound' ? 'future' : state === 'in_training' ? 'ongoing' : 'past';
      vouchers.push({
        person,
        year: state === 'expired' ? 2024 : 2026,
        bound,
        phase,
        forced: state,
      });
    });
  }

  function externalCertificate(person: CityPerson, year: number) {
    const kind = pickWeighted(random, [
      ['skill_level', 0.4],
      ['qualification_legacy', 0.2],
      ['special_ability', 0.15],
      ['special_operation', 0.25],
    ] as const);
    const serial = ++next.externalSerial;
    const reportedAt =
      shanghaiMidnight(year, Math.floor(random() * (year === 2026 ? 290 : 360))) + 10 * HOUR;
    const issued =
      kind === 'qualification_legacy'
        ? shanghaiMidnight(2005 + Math.floor(random() * 15), Math.floor(random() * 360))
        : reportedAt - Math.floor(random() * 60) * DAY;
    const issuedOn = shanghaiDate(issued);
    const level = pickWeighted(
      random,
      LEVELS.map((l) => [l, l.weight] as const),
    );
    const occupation = pick(random, OCCUPATIONS)[0];
    const digits13 = String(serial).padStart(13, '0');
    const number =
      kind === 'skill_level'
        ? `S8${digits13}${level.digit}${String(serial % 1e6).padStart(6, '0')}`
        : kind === 'qualification_legacy'
          ? `418${digits13}`
          : kind === 'special_ability'
            ? `ZX${digits13}`
            : `T${digits13}`;
    const withOccupation = kind === 'skill_level' || kind === 'qualification_legacy';
    const province = random() < 0.85 ? '41' : pick(random, ['32', '33', '44', '37']);
    tables.external_certificates.push([
      ids(TAG.external, reportedAt),
      kind,
      number,
      person.id,
      withOccupation ? occupation : null,
      withOccupation ? level.key : null,
      kind === 'special_ability'
        ? pick(random, SPECIAL_ABILITIES)
        : kind === 'special_operation'
          ? pick(random, SPECIAL_OPERATIONS)
          : null,
      kind === 'special_operation'
        ? '河南省应急管理厅'
        : province === '41'
          ? '河南省职业技能鉴定中心'
          : '外省职业技能评价机构',
      kind === 'special_operation' ? '41' : province,
      issuedOn,
      kind === 'special_operation' ? shanghaiDate(issued + 6 * 365 * DAY) : null,
      catalog.countyUnits[person.county] ?? pick(random, catalog.planUnits).unitId,
      shanghaiDate(reportedAt).slice(0, 7),
      random() < 0.8 ? 'unit_report' : 'import',
      random() < 0.02 ? 'withdrawn' : 'active',
      iso(reportedAt),
      iso(reportedAt),
    ]);
  }

  // 3. Reported trainings: one report per unit, year and up to 60 trainees.
  for (const [key, trainees] of reports) {
    const [yearText, unitId] = key.split('|') as [string, string];
    const year = Number(yearText);
    for (let from = 0; from < trainees.length; from += 60) {
      const start = shanghaiMidnight(year, 30 + Math.floor(random() * (year === 2026 ? 240 : 300)));
      const end = start + Math.floor(random() * 20) * DAY;
      const withOccupation = random() < 0.7;
      const occupation = pick(random, OCCUPATIONS);
      const planUnits = catalog.planUnits.filter((p) => p.unitId === unitId);
      const reportId = ids(TAG.report, end + 12 * HOUR);
      tables.training_reports.push([
        reportId,
        unitId,
        random() < 0.3 ? pick(random, orgs.training).id : null,
        planUnits.length > 0 && random() < 0.8 ? pick(random, planUnits).planNo : null,
        withOccupation
          ? `${occupation[1]}技能培训`
          : pick(random, ['安全生产培训', '高素质农民培育', '家政服务技能提升']),
        withOccupation ? occupation[0] : null,
        withOccupation
          ? pickWeighted(
              random,
              LEVELS.map((l) => [l.key, l.weight] as const),
            )
          : null,
        shanghaiDate(start),
        shanghaiDate(end),
        8 * (1 + Math.floor(random() * 15)),
        shanghaiDate(end).slice(0, 7),
        random() < 0.8 ? 'unit_report' : 'import',
        random() < 0.02 ? 'withdrawn' : 'active',
        iso(end + 12 * HOUR),
        iso(end + 12 * HOUR),
      ]);
      for (const person of new Set(trainees.slice(from, from + 60))) {
        tables.training_report_trainees.push([reportId, person.id, random() < 0.95]);
      }
    }
  }

  // 4. Vouchers: the unbound ones, then classes of 25–45 bound holders per year and phase.
  const issueAt = (year: number) =>
    shanghaiMidnight(year, 20 + Math.floor(random() * 40)) + 9 * HOUR;
  function voucherRow(
    id: string,
    e: VoucherEpisode,
    occupation: string,
    state: string,
    created: number,
    updated: number,
    bound?: { classId: string; organisationId: string; standardFen: number; boundAt: number },
    certificate?: { id: string; at: number },
  ): string {
    const validTo =
      state === 'expired'
        ? created + 180 * DAY
        : Math.max(created + 365 * DAY, CITY_NOW + 180 * DAY);
    tables.vouchers.push([
      id,
      formatVoucherNumber(e.year, ++next.voucherSerial),
      e.person.id,
      occupation,
      4,
      VOUCHER_VALUE_FEN,
      shanghaiDate(created),
      shanghaiDate(validTo),
      state,
      bound?.classId ?? null,
      bound?.organisationId ?? null,
      bound?.standardFen ?? null,
      bound ? iso(bound.boundAt) : null,
      e.person.county,
      'issued',
      certificate?.id ?? null,
      certificate ? iso(certificate.at) : null,
      iso(created),
      iso(updated),
    ]);
    return id;
  }
  const usedOccupation = (person: CityPerson, occupation: string) => {
    const used = occupationsOf.get(person.id) ?? new Set<string>();
    occupationsOf.set(person.id, used);
    if (used.has(occupation)) return true;
    used.add(occupation);
    return false;
  };
  for (const e of vouchers.filter((v) => !v.bound)) {
    const occupation = pick(random, OCCUPATIONS)[0];
    const created = issueAt(e.year);
    const live = e.year === 2026 && (e.forced === 'issued' || (!e.forced && random() < 0.4));
    if (live && usedOccupation(e.person, occupation)) continue;
    const state = e.forced ?? (live ? 'issued' : random() < 0.62 ? 'expired' : 'cancelled');
    const updated =
      state === 'expired'
        ? created + 181 * DAY
        : state === 'cancelled'
          ? created + 20 * DAY
          : created;
    voucherRow(
      ids(TAG.voucher, created),
      e,
      occupation,
      state,
      created,
      Math.min(updated, CITY_NOW - HOUR),
    );
  }
  const groups = new Map<string, VoucherEpisode[]>();
  for (const e of vouchers.filter((v) => v.bound)) {
    // The forced ones get a class of their own, early enough in 2026 to reach every state.
    const key = `${e.year}|${e.phase}|${e.forced ? 'forced' : ''}`;
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  for (const [key, episodes] of groups) {
    const [yearText, phase, forced] = key.split('|') as [string, Phase, string];
    const year = Number(yearText);
    for (let from = 0; from < episodes.length;) {
      const size = 25 + Math.floor(random() * 21);
      trainClass(year, phase, episodes.slice(from, from + size), forced === 'forced');
      from += size;
    }
  }

  function trainClass(year: number, phase: Phase, members: VoucherEpisode[], early: boolean) {
    const institution = pick(random, orgs.training);
    const [occupation, occupationName] = pick(random, OCCUPATIONS);
    const level = pickWeighted(
      random,
      LEVELS.map((l) => [l, l.weight] as const),
    );
    const lastDay = early ? 200 : year === 2026 ? 285 : 330;
    const day =
      phase === 'ongoing'
        ? 302 // sessions on 30 Oct, 31 Oct and 1 Nov 2026
        : phase === 'future'
          ? 315 + Math.floor(random() * 40)
          : 60 + Math.floor(random() * (lastDay - 60));
    const sessions = [0, 1, 2].map((d) => {
      const startsAt = shanghaiMidnight(year, day + d) + 9 * HOUR;
      return { id: '', startsAt, endsAt: startsAt + 3 * HOUR };
    });
    const startsAt = sessions[0]?.startsAt ?? 0;
    const endsAt = sessions[2]?.endsAt ?? 0;
    const created = startsAt - 20 * DAY;
    const classId = ids(TAG.class, created);
    sessions.forEach((s, i) => {
      s.id = ids(TAG.session, created + i);
      tables.class_sessions.push([s.id, classId, i + 1, iso(s.startsAt), iso(s.endsAt)]);
    });
    const unit = catalog.countyUnits[institution.county];
    const unitPlans = catalog.planUnits.filter((p) => p.unitId === unit);
    const planUnit =
      unitPlans.length > 0 && random() < 0.7
        ? pick(random, unitPlans)
        : pick(random, catalog.planUnits);
    const seq = 1 + Math.floor(random() * 20);
    tables.classes.push([
      classId,
      institution.id,
      `${occupationName}（${level.name}）培训班 ${year}年第${seq}期`,
      occupation,
      4,
      level.key,
      planUnit.planNo,
      planUnit.unitId,
      pickWeighted(random, [
        ['pre_job', 0.5],
        ['on_the_job_upgrade', 0.3],
        ['entrepreneurship', 0.1],
        ['new_apprenticeship', 0.05],
        ['other', 0.05],
      ] as const),
      institution.county,
      `商丘市${institution.name}教学楼`,
      members.length + 5,
      540,
      level.standardFen,
      'approved',
      iso(startsAt),
      iso(endsAt),
      iso(created + DAY),
      iso(created + 3 * DAY),
      iso(created),
      iso(created + 3 * DAY),
    ]);
    const site = Math.floor(random() * orgs.evaluation.length);
    const evaluator = orgs.evaluation[site];
    const heldAt = endsAt + 14 * DAY;
    const evaluated = phase === 'past' && heldAt + 4 * DAY < CITY_NOW && evaluator !== undefined;
    let sessionId: string | null = null;
    for (const e of members) {
      if (usedOccupation(e.person, occupation)) continue;
      const boundAt = created + (4 + Math.floor(random() * 10)) * DAY;
      const bound = {
        classId,
        organisationId: institution.id,
        standardFen: level.standardFen,
        boundAt,
      };
      const issued = boundAt - (1 + Math.floor(random() * 20)) * DAY;
      const voucherId = ids(TAG.voucher, issued);
      const forced = e.forced;
      if (phase !== 'past') {
        const state = phase === 'future' ? 'bound' : 'in_training';
        voucherRow(
          voucherId,
          e,
          occupation,
          state,
          issued,
          phase === 'future' ? boundAt : startsAt,
          bound,
        );
        trainee(classId, e.person, voucherId, boundAt, null);
        if (phase === 'ongoing') {
          for (const s of sessions.filter((x) => x.endsAt < CITY_NOW)) attend(classId, s, e.person);
        }
        continue;
      }
      const passed = forced ? forced !== 'forfeited' : random() < 0.92;
      const completedAt = endsAt + HOUR;
      if (!passed) {
        voucherRow(voucherId, e, occupation, 'forfeited', issued, completedAt, bound);
        trainee(classId, e.person, voucherId, boundAt, {
          result: 'failed',
          at: completedAt,
          minutes: 180,
        });
        const s = sessions[0];
        if (s) attend(classId, s, e.person);
        continue;
      }
      const sits = forced ? forced !== 'completed' : evaluated && random() < 0.88;
      const result =
        !sits || !evaluated
          ? null
          : forced
            ? 'pass'
            : pickWeighted(random, [
                ['pass', 0.87],
                ['fail', 0.1],
                ['absent', 0.03],
              ] as const);
      let certificate: { id: string; at: number } | undefined;
      let revoked = false;
      if (result !== null && evaluator) {
        sessionId ??= evaluationSession(evaluator, site, occupation, level.key, heldAt);
        const candidateId = ids(TAG.candidate, heldAt - 7 * DAY);
        const scores =
          result === 'absent'
            ? [null, null]
            : result === 'pass'
              ? [60 + Math.floor(random() * 40), 60 + Math.floor(random() * 40)]
              : [30 + Math.floor(random() * 29), 40 + Math.floor(random() * 40)];
        tables.evaluation_candidates.push([
          candidateId,
          sessionId,
          e.person.id,
          'voucher',
          voucherId,
          scores[0] ?? null,
          scores[1] ?? null,
          result,
          iso(heldAt - 7 * DAY),
          iso(heldAt + DAY),
        ]);
        if (result === 'pass') {
          const issuedAt = heldAt + 3 * DAY;
          const issuedOn = shanghaiDate(issuedAt);
          const serialKey = `${site}|${issuedOn.slice(0, 4)}|${level.digit}`;
          const serial = (next.certSerials[serialKey] ?? 0) + 1;
          next.certSerials[serialKey] = serial;
          revoked = !forced && random() < 0.015;
          const id = ids(TAG.certificate, issuedAt);
          certificate = { id, at: issuedAt };
          tables.certificates.push([
            id,
            formatSkillLevelNumber({
              evaluationType: 'S',
              institutionCode: evaluator.code,
              siteSerialCode: evaluator.serial,
              year: Number(issuedOn.slice(0, 4)),
              levelDigit: level.digit,
              serial,
            }),
            'skill_level',
            e.person.id,
            occupation,
            4,
            level.key,
            e.person.name,
            masked.get(e.person.id) ?? '',
            evaluator.id,
            evaluator.siteId,
            evaluator.name,
            sessionId,
            candidateId,
            issuedOn,
            revoked ? 'revoked' : 'valid',
            revoked ? iso(issuedAt + 30 * DAY) : null,
            revoked ? '评价过程违规，证书撤销' : null,
            next.statusIndex++,
            e.person.county,
            iso(issuedAt),
            iso(revoked ? issuedAt + 30 * DAY : issuedAt),
          ]);
        }
      }
      let state = 'completed';
      let updated = completedAt;
      if (certificate && !revoked) {
        const redeemAt = certificate.at + 10 * DAY;
        const redeem = forced ? forced === 'redeemed' : redeemAt < CITY_NOW && random() < 0.88;
        state = redeem ? 'redeemed' : 'certified';
        updated = redeem ? redeemAt : certificate.at;
      }
      voucherRow(
        voucherId,
        e,
        occupation,
        state,
        issued,
        updated,
        bound,
        certificate && !revoked ? certificate : undefined,
      );
      trainee(classId, e.person, voucherId, boundAt, {
        result: 'passed',
        at: completedAt,
        minutes: 540,
      });
      for (const s of sessions) attend(classId, s, e.person);
      if (state === 'redeemed' && certificate) {
        const amount = Math.min(VOUCHER_VALUE_FEN, level.standardFen);
        tables.subsidy_claims.push([
          ids(TAG.claim, updated),
          formatClaimNumber(Number(shanghaiDate(updated).slice(0, 4)), ++next.claimSerial),
          'training',
          institution.id,
          e.person.id,
          amount,
          voucherId,
          classId,
          certificate.id,
          JSON.stringify({
            valueFen: VOUCHER_VALUE_FEN,
            subsidyStandardFen: level.standardFen,
            rule: 'min(valueFen, subsidyStandardFen)',
            classId,
            certificateId: certificate.id,
          }),
          'submitted',
          institution.county,
          iso(updated),
          iso(updated),
        ]);
      }
    }
  }

  function evaluationSession(
    evaluator: (typeof orgs.evaluation)[number],
    site: number,
    occupation: string,
    levelKey: string,
    heldAt: number,
  ): string {
    const id = ids(TAG.evaluation, heldAt - 10 * DAY);
    tables.evaluation_sessions.push([
      id,
      evaluator.id,
      evaluator.siteId,
      orgs.scopeIds.get(`${site}|${occupation}|${levelKey}`) ?? '',
      occupation,
      4,
      levelKey,
      shanghaiDate(heldAt),
      60,
      60,
      'submitted',
      evaluator.county,
      iso(heldAt + DAY),
      iso(heldAt - 10 * DAY),
      iso(heldAt + DAY),
    ]);
    return id;
  }

  function trainee(
    classId: string,
    person: CityPerson,
    voucherId: string,
    enrolledAt: number,
    completion: { result: string; at: number; minutes: number } | null,
  ) {
    tables.class_trainees.push([
      ids(TAG.trainee, enrolledAt),
      classId,
      person.id,
      voucherId,
      iso(enrolledAt),
      completion?.result ?? null,
      completion ? (completion.result === 'passed' ? 70 + Math.floor(random() * 30) : 40) : null,
      completion?.minutes ?? null,
      completion ? iso(completion.at) : null,
    ]);
  }

  function attend(
    classId: string,
    s: { id: string; startsAt: number; endsAt: number },
    person: CityPerson,
  ) {
    const inAt = s.startsAt - Math.floor(random() * 10) * 60_000;
    tables.class_attendance.push([
      ids(TAG.attendance, inAt),
      classId,
      s.id,
      person.id,
      `["${iso(s.startsAt)}","${iso(s.endsAt)}")`,
      iso(inAt),
      'qr',
      iso(s.endsAt + Math.floor(random() * 5) * 60_000),
      'qr',
    ]);
  }

  return { tables, persons, counters: next };
}
