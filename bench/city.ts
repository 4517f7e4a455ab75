/**
 * The synthetic city (issue #10, item 1): `scale` persons with valid ID numbers from Shangqiu's
 * real region codes and their organisations, classes, vouchers in every state, attendance,
 * evaluations, certificates, claims, unit reports and external certificates, loaded with COPY
 * into the real migrated database as its owner. What is generated is in city.rules.ts (pure and
 * deterministic); here the PII columns are encrypted and indexed with the server's own keys, so
 * the running server reads and searches these persons, and the rows are loaded chunk by chunk.
 *
 * Each chunk (CHUNK_SIZE persons and all their facts) is one transaction that ends by writing
 * its marker in bench_city_chunks, with the counters the next chunk continues from; a rerun with
 * the same seed and scale skips the chunks done, so an interrupted 10 M build resumes.
 *
 *   node --import tsx bench/city.ts --scale N --seed S --data-dir DIR
 */
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  PiiCipher,
  loadPiiKeys,
  maskIdNumber,
  maskPhone,
} from '../apps/api/src/platform/crypto/index.js';
import { keysDirOf } from '../apps/api/src/platform/keys.js';
import {
  CITY_COLUMNS,
  COUNTIES,
  cityPlan,
  generateChunk,
  initialCounters,
  type Catalog,
  type Counters,
  type Row,
  type Tables,
} from './city.rules.js';

export interface CityProgress {
  chunk: number;
  chunks: number;
  /** Chunks loaded by this run (the rest of `chunk` were done by an earlier one). */
  loaded: number;
  rows: number;
  seconds: number;
}

export interface CityOptions {
  /** Owner connection string of the migrated database (the embedded superuser). */
  adminUrl: string;
  /** The server's data directory: its `keys/` encrypt the PII columns. */
  dataDir: string;
  scale: number;
  seed: number;
  onProgress?: (progress: CityProgress) => void;
  /** Called once when every chunk is loaded (e.g. the statistics rebuild). */
  afterLoad?: (adminUrl: string) => Promise<void>;
}

export interface CityReport {
  /** Rows written by this run (chunks skipped on resumption excluded). */
  rows: number;
  /** Generating, encrypting and loading the chunks (rows / loadSeconds is the load rate). */
  loadSeconds: number;
  /** Everything, with the sequences, ANALYZE and afterLoad. */
  seconds: number;
  chunksLoaded: number;
  chunksSkipped: number;
  databaseBytes: number;
}

/** Load order: referenced tables first. */
const ORDER: (keyof Tables)[] = [
  'organisations',
  'evaluation_sites',
  'evaluation_scopes',
  'persons',
  'person_key_groups',
  'classes',
  'class_sessions',
  'evaluation_sessions',
  'certificates',
  'vouchers',
  'class_trainees',
  'class_attendance',
  'evaluation_candidates',
  'subsidy_claims',
  'training_reports',
  'training_report_trainees',
  'external_certificates',
];

/** COPY text format: tab-separated, \N for null, backslash escapes. */
function copyValue(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Row[],
) {
  if (rows.length === 0) return;
  const batch = 5_000;
  async function* lines() {
    for (let i = 0; i < rows.length; i += batch) {
      let text = '';
      for (const row of rows.slice(i, i + batch)) text += `${row.map(copyValue).join('\t')}\n`;
      yield text;
    }
  }
  await pipeline(
    Readable.from(lines()),
    client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
  );
}

const CANDIDATE = CITY_COLUMNS.certificates.indexOf('candidate_id');

function withoutCandidate(row: Row): Row {
  const copy = [...row];
  copy[CANDIDATE] = null;
  return copy;
}

/** The persons' PII columns as the app writes them: envelope, blind index, masked copy. */
function encryptPersons(rows: Row[], pii: PiiCipher): Row[] {
  return rows.map((row): Row => {
    const [id = null, idNumber, phone = null, ...rest] = row;
    const number = String(idNumber);
    const mobile = phone === null ? null : String(phone);
    return [
      id,
      pii.encrypt('person.id_number', number),
      pii.blindIndex('id_number', number),
      maskIdNumber(number),
      mobile === null ? null : pii.encrypt('person.phone', mobile),
      mobile === null ? null : pii.blindIndex('phone', mobile),
      mobile === null ? null : maskPhone(mobile),
      ...rest,
    ];
  });
}

const PERSON_COLUMNS = [
  'id',
  'id_number_enc',
  'id_number_bidx',
  'id_number_masked',
  'phone_enc',
  'phone_bidx',
  'phone_masked',
  ...CITY_COLUMNS.persons.slice(3),
];

/** Reference rows from the database, in a fixed order so the city is the same every time. */
async function loadCatalog(client: pg.ClientBase): Promise<Catalog> {
  const townships: Record<string, string[]> = {};
  const regions = await client.query<{ code: string; parent_code: string }>(
    `SELECT code, parent_code FROM regions WHERE level = 4 AND parent_code = ANY($1) ORDER BY code`,
    [COUNTIES.map((c) => c.code)],
  );
  for (const r of regions.rows) (townships[r.parent_code] ??= []).push(r.code);
  const keyGroups = (
    await client.query<{ code: string }>('SELECT code FROM key_groups ORDER BY sort_order, code')
  ).rows.map((r) => r.code);
  const countyUnits: Record<string, string> = {};
  const units = await client.query<{ id: string; region_code: string }>(
    `SELECT id, region_code FROM responsible_units WHERE kind = 'county' ORDER BY id`,
  );
  for (const u of units.rows) countyUnits[u.region_code] ??= u.id;
  const planUnits = (
    await client.query<{ plan_no: number; unit_id: string }>(
      'SELECT plan_no, unit_id FROM plan_units ORDER BY plan_no, unit_id',
    )
  ).rows.map((r) => ({ planNo: r.plan_no, unitId: r.unit_id }));
  if (keyGroups.length === 0 || planUnits.length === 0 || regions.rows.length === 0) {
    throw new Error(
      'the database has no reference data: start `jineng serve` or run `jineng migrate` first',
    );
  }
  return { townships, keyGroups, countyUnits, planUnits };
}

const MARKERS = `CREATE TABLE IF NOT EXISTS bench_city_chunks (
  seed     bigint NOT NULL,
  scale    integer NOT NULL,
  chunk    integer NOT NULL,
  done_at  timestamptz NOT NULL,
  -- The counters (voucher, claim and certificate serials) after this chunk: where the next
  -- chunk continues on resumption.
  state    jsonb NOT NULL,
  PRIMARY KEY (seed, scale, chunk)
)`;

/**
 * Generates the city into the database at `adminUrl`, resuming after the last chunk done. Refuses
 * a database holding another city (other seed or scale) or persons of its own.
 */
export async function generateCity(options: CityOptions): Promise<CityReport> {
  const { seed, scale } = options;
  const plan = cityPlan(seed, scale);
  const client = new pg.Client({
    connectionString: options.adminUrl,
    application_name: 'jineng-city',
  });
  await client.connect();
  const started = performance.now();
  let rows = 0;
  let chunksLoaded = 0;
  try {
    await client.query(MARKERS);
    const other = await client.query<{ seed: string; scale: number }>(
      'SELECT DISTINCT seed, scale FROM bench_city_chunks WHERE (seed, scale) <> ($1, $2)',
      [seed, scale],
    );
    const found = other.rows[0];
    if (found) {
      throw new Error(
        `this database holds the city of seed ${found.seed} and scale ${found.scale}; ` +
          `a city of seed ${seed} and scale ${scale} cannot be added to it (use an empty data directory)`,
      );
    }
    const done = await client.query<{ chunk: number; state: Counters }>(
      'SELECT chunk, state FROM bench_city_chunks WHERE seed = $1 AND scale = $2 ORDER BY chunk',
      [seed, scale],
    );
    done.rows.forEach((r, i) => {
      if (r.chunk !== i) throw new Error(`bench_city_chunks is missing chunk ${i}`);
    });
    if (done.rows.length === 0) {
      const persons = await client.query('SELECT 1 FROM persons LIMIT 1');
      if (persons.rows.length > 0) {
        throw new Error(
          'the database already holds persons: the city is generated into an empty database only',
        );
      }
    }
    await client.query(
      'CREATE TEMP TABLE city_certificate_candidates (certificate_id uuid, candidate_id uuid)',
    );
    let counters = done.rows.at(-1)?.state ?? initialCounters();
    const catalog = await loadCatalog(client);
    const pii = new PiiCipher(
      await loadPiiKeys({ env: process.env, keysDir: keysDirOf(options.dataDir) }),
    );
    for (let chunk = done.rows.length; chunk < plan.chunks; chunk++) {
      const generated = generateChunk(plan, catalog, chunk, counters);
      await client.query('BEGIN');
      try {
        for (const table of ORDER) {
          const tableRows = generated.tables[table];
          if (table === 'persons') {
            await copyRows(client, table, PERSON_COLUMNS, encryptPersons(tableRows, pii));
          } else if (table === 'certificates') {
            // vouchers → certificates → candidates → vouchers is a cycle of foreign keys: the
            // certificates go in first without their candidate, named once the candidates exist.
            await copyRows(client, table, CITY_COLUMNS[table], tableRows.map(withoutCandidate));
          } else {
            await copyRows(client, table, CITY_COLUMNS[table], tableRows);
          }
          rows += tableRows.length;
        }
        await client.query('TRUNCATE city_certificate_candidates');
        await copyRows(
          client,
          'city_certificate_candidates',
          ['certificate_id', 'candidate_id'],
          generated.tables.certificates.map((r) => [r[0] ?? null, r[CANDIDATE] ?? null]),
        );
        await client.query(
          `UPDATE certificates c SET candidate_id = t.candidate_id
             FROM city_certificate_candidates t WHERE c.id = t.certificate_id`,
        );
        await recordSerials(client, plan.evaluationInstitutions, generated.counters);
        await client.query(
          'INSERT INTO bench_city_chunks (seed, scale, chunk, done_at, state) VALUES ($1, $2, $3, now(), $4)',
          [seed, scale, chunk, JSON.stringify(generated.counters)],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      counters = generated.counters;
      chunksLoaded += 1;
      options.onProgress?.({
        chunk: chunk + 1,
        chunks: plan.chunks,
        loaded: chunksLoaded,
        rows,
        seconds: (performance.now() - started) / 1000,
      });
    }
    // The app numbers vouchers, claims and status-list entries from sequences: continue after
    // the city's, so the next voucher issued through the API does not collide with a city one.
    await client.query(
      `SELECT setval('voucher_serial_seq', $1), setval('subsidy_claim_serial_seq', $2),
              setval('certificate_status_index_seq', $3)`,
      [
        Math.max(1, counters.voucherSerial),
        Math.max(1, counters.claimSerial),
        Math.max(0, counters.statusIndex),
      ],
    );
    const loadSeconds = (performance.now() - started) / 1000;
    if (chunksLoaded > 0) await client.query('ANALYZE');
    await options.afterLoad?.(options.adminUrl);
    const size = await client.query<{ bytes: string }>(
      'SELECT pg_database_size(current_database()) AS bytes',
    );
    return {
      rows,
      loadSeconds,
      seconds: (performance.now() - started) / 1000,
      chunksLoaded,
      chunksSkipped: plan.chunks - chunksLoaded,
      databaseBytes: Number(size.rows[0]?.bytes ?? 0),
    };
  } finally {
    await client.end();
  }
}

/** certificate_serials: the last serial per site, year and level, as the app's issuing expects. */
async function recordSerials(client: pg.ClientBase, sites: number, counters: Counters) {
  const entries = Object.entries(counters.certSerials);
  if (entries.length === 0 || sites === 0) return;
  await client.query(
    `INSERT INTO certificate_serials (site_id, year, level_digit, last_serial)
     SELECT s.id, e.year, e.level_digit, e.last_serial
       FROM unnest($1::int[], $2::int[], $3::int[], $4::int[]) AS e(site, year, level_digit, last_serial)
       JOIN (SELECT id, row_number() OVER (ORDER BY serial_code) - 1 AS site
               FROM evaluation_sites WHERE serial_code LIKE '411___') s ON s.site = e.site
     ON CONFLICT (site_id, year, level_digit) DO UPDATE SET last_serial = EXCLUDED.last_serial`,
    [
      entries.map(([k]) => Number(k.split('|')[0])),
      entries.map(([k]) => Number(k.split('|')[1])),
      entries.map(([k]) => Number(k.split('|')[2])),
      entries.map(([, v]) => v),
    ],
  );
}

/** A one-line progress bar on stderr: chunk i/n, rows/s and the time left. */
export function progressBar(label = 'city'): (p: CityProgress) => void {
  return (p) => {
    const rate = p.rows / Math.max(0.001, p.seconds);
    const eta = (p.seconds / Math.max(1, p.loaded)) * (p.chunks - p.chunk);
    const width = 30;
    const filled = Math.round((p.chunk / p.chunks) * width);
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] chunk ${p.chunk}/${p.chunks}` +
        ` ${p.rows} rows ${Math.round(rate)} rows/s ETA ${Math.round(eta)} s   ` +
        (p.chunk === p.chunks ? '\n' : ''),
    );
  };
}

/**
 * The city is loaded by COPY beside the app, so its counts (targets, progress, reports) are
 * rebuilt once afterwards, as an operator would with `jineng statistics rebuild` after a bulk load.
 */
export async function rebuildStatisticsAt(adminUrl: string): Promise<void> {
  const { createDb } = await import('../apps/api/src/platform/db.js');
  const { rebuildStatistics } =
    await import('../apps/api/src/modules/statistics/statistics.rollup.js');
  const db = createDb({ url: adminUrl, max: 1 });
  try {
    await rebuildStatistics(db);
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string' },
    },
  });
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  const dataDir = values['data-dir'] ?? process.env.JINENG_DATA_DIR;
  if (!Number.isInteger(scale) || scale < 1) throw new Error('--scale must be a positive integer');
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative integer');
  if (!dataDir) throw new Error('--data-dir (or JINENG_DATA_DIR) is required');
  const { attachOrStartEmbedded } = await import('../apps/api/src/platform/embedded-postgres.js');
  const { prepareDatabase } = await import('../apps/api/src/server.js');
  const { createLogger } = await import('../apps/api/src/platform/logger.js');
  // The cluster a running `jineng serve` holds, or one started for this build (then stopped).
  const cluster = await attachOrStartEmbedded({ dataDir });
  try {
    await prepareDatabase(cluster.adminUrl(), createLogger('warn'));
    const report = await generateCity({
      adminUrl: cluster.adminUrl(),
      dataDir,
      scale,
      seed,
      onProgress: progressBar(),
      afterLoad: rebuildStatisticsAt,
    });
    process.stdout.write(
      `${JSON.stringify({ ...report, rowsPerSecond: Math.round(report.rows / Math.max(0.001, report.loadSeconds)) })}\n`,
    );
  } finally {
    await cluster.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
