/*
 * Certificates issued elsewhere (R-ACT-1): legacy 职业资格证书, other institutions' or provinces'
 * 职业技能等级证书, 专项职业能力, 特种作业操作证. A unit, a county, the city or an institution
 * records them with their issuer and number; they are `external` (never re-signed as our
 * credentials, never found by public verification) and de-duplicated against ours: when we issued
 * a valid certificate for the same person + occupation + level, the record names it (duplicateOf)
 * and the person is counted once (view counted_certifications). Every write is one transaction
 * with its audit rows; a record can be corrected or withdrawn until its month is closed.
 */
import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db, Trx } from '../../platform/db.js';
import { DomainError, type ErrorCode, type FieldError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { normalizeIdNumber, type PiiCipher } from '../../platform/crypto/index.js';
import { recordAuditMany, type AuditEventInput } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import type { IdNumberValid } from '../persons/id-number.rules.js';
import { checkIdNumber } from '../persons/persons.id.js';
import {
  checkCertificate,
  displayNumber,
  holderIdNumberMark,
  type CertificateField,
  type CheckedCertificate,
} from './activity.certificates.rules.js';
import * as repo from './activity.certificates.repository.js';
import { closedPeriods, periodOf } from './activity.periods.js';
import { matchPersons } from './activity.persons.js';
import { mayReportFor } from './activity.rules.js';
import type { ActivitySource, ExternalCertificateKind, ReportStatus } from './activity.schema.js';

export interface CertificateIntakeDeps {
  pii: PiiCipher;
  clock: Clock;
}

/** One certificate as reported (JSON body, batch item or import row). */
export interface CertificateReport {
  unitId: string;
  kind: ExternalCertificateKind;
  number: string;
  idNumber: string;
  name: string;
  occupationCode?: string | null;
  skillLevelKey?: string | null;
  itemName?: string | null;
  issuerName: string;
  /** 41 (Henan) when absent. */
  issuingProvinceCode?: string;
  issuedOn: string;
  validUntil?: string | null;
}

/** The issuing province when a report names none: Henan. */
export const DEFAULT_PROVINCE = '41';

export type ReportField = CertificateField | 'unitId' | 'idNumber' | 'name' | 'issuerName';

/** What became of one reported certificate. */
export type ReportOutcome =
  | { kind: 'accepted'; id: string; duplicateOf: { certificateId: string; number: string } | null }
  | {
      kind: 'rejected';
      field: ReportField;
      code: string;
      message: string;
      zh: string;
      /** CERTIFICATE_ALREADY_RECORDED: the record already holding the number. */
      existingId?: string;
    };

/** A record as every answer shows it: masked ID number, a 特种作业 number masked like one. */
export function externalView(row: repo.ExternalCertificateRow) {
  return {
    id: row.id,
    kind: row.kind,
    number: displayNumber(row.kind, row.number, row.holderIdNumberMasked),
    external: true as const,
    personId: row.personId,
    holderName: row.holderName,
    holderIdNumberMasked: row.holderIdNumberMasked,
    occupationCode: row.occupationCode,
    occupationName: row.occupationName,
    skillLevelKey: row.skillLevelKey,
    skillLevelName: row.skillLevelName,
    itemName: row.itemName,
    issuerName: row.issuerName,
    issuingProvinceCode: row.issuingProvinceCode,
    issuedOn: row.issuedOn,
    validUntil: row.validUntil,
    unitId: row.unitId,
    unitName: row.unitName,
    period: row.period,
    source: row.source,
    importRunId: row.importRunId,
    status: row.status,
    duplicateOf:
      row.duplicateOfCertificateId && row.duplicateOfNumber
        ? { certificateId: row.duplicateOfCertificateId, number: row.duplicateOfNumber }
        : null,
    reportedBy: row.reportedBy,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type ExternalCertificateView = ReturnType<typeof externalView>;

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such external certificate in your scope');
}

function rejected(
  field: ReportField,
  code: string,
  message: string,
  zh: string,
  existingId?: string,
): ReportOutcome {
  return { kind: 'rejected', field, code, message, zh, ...(existingId ? { existingId } : {}) };
}

type OurCertificate = Awaited<ReturnType<typeof repo.ourValidCertificates>>[number];

/** Our valid certificate for the same person + occupation + level (专项: the same item). */
export function ourDuplicate(
  certificate: Pick<CheckedCertificate, 'kind' | 'occupationCode' | 'skillLevelKey' | 'itemName'>,
  ours: readonly OurCertificate[],
): OurCertificate | undefined {
  switch (certificate.kind) {
    case 'skill_level':
    case 'qualification_legacy':
      return ours.find(
        (c) =>
          c.occupationCode === certificate.occupationCode &&
          c.skillLevelKey === certificate.skillLevelKey,
      );
    case 'special_ability':
      return ours.find(
        (c) =>
          c.skillLevelKey === 'special_ability' &&
          (c.specialAbilityName ?? '').trim() === (certificate.itemName ?? '').trim(),
      );
    case 'special_operation':
      return undefined;
  }
}

export interface IntakeContext {
  deps: CertificateIntakeDeps;
  auth: AuthContext | null;
  meta: RequestMeta;
  source: ActivitySource;
  importRunId: string | null;
}

/** A 特种作业 number that is the holder's ID number is stored as its blind-index mark. */
function storedForm(
  pii: PiiCipher,
  certificate: CheckedCertificate,
  holderIdNumber: string,
): CheckedCertificate {
  if (certificate.kind !== 'special_operation') return certificate;
  if (normalizeIdNumber(certificate.number) !== holderIdNumber) return certificate;
  return {
    ...certificate,
    number: holderIdNumberMark(pii.blindIndex('id_number', holderIdNumber)),
  };
}

interface Prepared {
  index: number;
  report: CertificateReport;
  id: IdNumberValid;
  name: string;
  issuerName: string;
  certificate: CheckedCertificate;
  unit: repo.UnitFacts;
  period: string;
}

/**
 * Records reported certificates inside the caller's transaction, answering one outcome per item
 * in order: every rule checked (number by kind, occupation, level, dates, the unit being the
 * caller's to report for, its month open, the number not recorded yet), holders matched to the
 * registry or registered, ours named when the certificate duplicates one, one audit row per
 * record. Set-at-a-time, because imports and batches bring thousands.
 */
export async function recordCertificatesIn(
  trx: Trx,
  context: IntakeContext,
  reports: readonly CertificateReport[],
): Promise<ReportOutcome[]> {
  const { deps, auth } = context;
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const scope = auth?.scope ?? { kind: 'city' as const };
  const outcomes: (ReportOutcome | undefined)[] = new Array(reports.length);
  const units = new Map((await repo.allUnits(trx)).map((u) => [u.id, u]));
  const occupations = await repo.knownOccupations(
    trx,
    reports.flatMap((r) => (r.occupationCode ? [r.occupationCode.trim()] : [])),
  );

  // 1. Checks of each item on its own.
  const prepared: Prepared[] = [];
  for (const [index, report] of reports.entries()) {
    const checked = checkCertificate(
      { ...report, issuingProvinceCode: report.issuingProvinceCode ?? DEFAULT_PROVINCE },
      today,
    );
    if (!checked.ok) {
      const first = checked.problems[0];
      if (first) outcomes[index] = rejected(first.field, first.code, first.en, first.zh);
      continue;
    }
    const certificate = checked.certificate;
    if (certificate.occupationCode !== null && !occupations.has(certificate.occupationCode)) {
      outcomes[index] = rejected(
        'occupationCode',
        'OCCUPATION_UNKNOWN',
        `No occupation ${certificate.occupationCode} in the 2022 大典`,
        `职业编码 ${certificate.occupationCode} 不是 2022 版大典中的职业。`,
      );
      continue;
    }
    const unit = units.get(report.unitId.trim());
    if (!unit) {
      outcomes[index] = rejected(
        'unitId',
        'UNIT_UNKNOWN',
        `No responsible unit ${report.unitId.slice(0, 40)}`,
        `找不到责任单位“${report.unitId.slice(0, 40)}”。`,
      );
      continue;
    }
    if (!mayReportFor(scope, unit)) {
      outcomes[index] = rejected(
        'unitId',
        'UNIT_NOT_YOURS',
        'You may not report for this responsible unit',
        `您不能为“${unit.canonicalName}”报送证书。`,
      );
      continue;
    }
    const name = report.name.normalize('NFKC').trim().replace(/\s+/g, '');
    if (name === '') {
      outcomes[index] = rejected('name', 'NAME_REQUIRED', 'The name is empty', '姓名不能为空。');
      continue;
    }
    const issuerName = report.issuerName.normalize('NFKC').trim();
    if (issuerName === '' || [...issuerName].length > 200) {
      outcomes[index] = rejected(
        'issuerName',
        'ISSUER_NAME_INVALID',
        'The issuer is required, at most 200 characters',
        '发证机构不能为空，且不超过 200 个字。',
      );
      continue;
    }
    const id = await checkIdNumber(trx, report.idNumber, today);
    if (!id.ok) {
      outcomes[index] = rejected('idNumber', 'ID_NUMBER_INVALID', id.messageEn, id.message);
      continue;
    }
    prepared.push({
      index,
      report,
      id,
      name,
      issuerName,
      certificate: storedForm(deps.pii, certificate, id.idNumber),
      unit,
      period: periodOf(certificate.issuedOn),
    });
  }

  // 2. Closed months, numbers recorded already or twice in this request.
  const closed = await closedPeriods(
    trx,
    prepared.map((p) => p.period),
  );
  const recorded = new Map(
    (
      await repo.activeByNumbers(
        trx,
        prepared.map((p) => ({ kind: p.certificate.kind, number: p.certificate.number })),
      )
    ).map((r) => [`${r.kind}|${r.number}`, r.id]),
  );
  const seen = new Map<string, number>();
  const open = prepared.filter((p) => {
    if (closed.has(p.period)) {
      outcomes[p.index] = rejected(
        'issuedOn',
        'PERIOD_CLOSED',
        `The reporting month ${p.period} is closed`,
        `${p.period} 月已关账，不能再报送该月的证书。`,
      );
      return false;
    }
    const key = `${p.certificate.kind}|${p.certificate.number}`;
    const existing = recorded.get(key);
    if (existing) {
      outcomes[p.index] = rejected(
        'number',
        'CERTIFICATE_ALREADY_RECORDED',
        `This certificate is already recorded (${existing})`,
        '该证书编号已登记过，不能重复报送。',
        existing,
      );
      return false;
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      outcomes[p.index] = rejected(
        'number',
        'DUPLICATE_IN_REQUEST',
        `The same certificate is item ${earlier} of this request`,
        `与第 ${earlier + 1} 条是同一张证书。`,
      );
      return false;
    }
    seen.set(key, p.index);
    return true;
  });

  // 3. Holders: one entry per ID number (one person may hold several certificates).
  const byIdNumber = new Map<string, Prepared>();
  for (const p of open) if (!byIdNumber.has(p.id.idNumber)) byIdNumber.set(p.id.idNumber, p);
  const entries = [...byIdNumber.values()];
  const links =
    scope.kind === 'unit' || scope.kind === 'organisation'
      ? [
          {
            kind: scope.kind,
            id: scope.kind === 'unit' ? scope.unitId : scope.organisationId,
          },
        ]
      : [];
  const auditContext = auditContextOf(auth, context.meta);
  const matches = new Map<string, Awaited<ReturnType<typeof matchPersons>>[number]>();
  // New persons are counted in the county of the unit of the first certificate naming them.
  const byRegion = new Map<string, Prepared[]>();
  for (const entry of entries) {
    const group = byRegion.get(entry.unit.regionCode) ?? [];
    group.push(entry);
    byRegion.set(entry.unit.regionCode, group);
  }
  for (const [regionCode, group] of byRegion) {
    const result = await matchPersons(
      trx,
      group.map((p) => ({ id: p.id, name: p.name })),
      {
        pii: deps.pii,
        now,
        source: context.source,
        createdBy: auth?.user.id ?? null,
        regionCode,
        context: auditContext,
        details: { source: context.source, importRunId: context.importRunId, via: 'certificate' },
        links,
      },
    );
    group.forEach((p, i) => {
      const match = result[i];
      if (match) matches.set(p.id.idNumber, match);
    });
  }

  // 4. Ours, for de-duplication; then the rows.
  const personIds = [...matches.values()].flatMap((m) =>
    m.kind === 'rejected' ? [] : [m.personId],
  );
  const oursByPerson = new Map<string, OurCertificate[]>();
  for (const c of await repo.ourValidCertificates(trx, personIds)) {
    const list = oursByPerson.get(c.personId) ?? [];
    list.push(c);
    oursByPerson.set(c.personId, list);
  }
  const rows: { prepared: Prepared; row: repo.NewExternal; duplicate?: OurCertificate }[] = [];
  for (const p of open) {
    const match = matches.get(p.id.idNumber);
    if (!match || match.kind === 'rejected') {
      outcomes[p.index] = rejected(
        'name',
        match?.code ?? 'CONCURRENT_REGISTRATION',
        match?.message ?? 'not processed',
        match?.zh ?? '未处理。',
      );
      continue;
    }
    const first = byIdNumber.get(p.id.idNumber);
    if (first && first !== p && first.name !== p.name) {
      outcomes[p.index] = rejected(
        'name',
        'NAME_MISMATCH',
        'the registry holds another name for this ID number',
        '姓名与人员库中该身份证号码登记的姓名不一致。',
      );
      continue;
    }
    const duplicate = ourDuplicate(p.certificate, oursByPerson.get(match.personId) ?? []);
    rows.push({
      prepared: p,
      duplicate,
      row: {
        id: uuidv7(),
        ...p.certificate,
        personId: match.personId,
        issuerName: p.issuerName,
        unitId: p.unit.id,
        period: p.period,
        source: context.source,
        importRunId: context.importRunId,
        duplicateOfCertificateId: duplicate?.id ?? null,
        reportedBy: auth?.user.id ?? null,
        createdAt: now,
        updatedAt: now,
      },
    });
  }
  const inserted = await repo.insertExternals(
    trx,
    rows.map((r) => r.row),
  );
  const audits: AuditEventInput[] = [];
  for (const { prepared: p, row, duplicate } of rows) {
    if (!inserted.has(row.id)) {
      outcomes[p.index] = rejected(
        'number',
        'CERTIFICATE_ALREADY_RECORDED',
        'This certificate was recorded a moment ago',
        '该证书编号刚刚被登记，不能重复报送。',
      );
      continue;
    }
    outcomes[p.index] = {
      kind: 'accepted',
      id: row.id,
      duplicateOf: duplicate ? { certificateId: duplicate.id, number: duplicate.number } : null,
    };
    audits.push({
      context: auditContext,
      action: 'activity.certificate.reported',
      entityType: 'external_certificate',
      entityId: row.id,
      after: {
        kind: row.kind,
        number: displayNumber(row.kind, row.number, '(holder ID number)'),
        personId: row.personId,
        occupationCode: row.occupationCode,
        skillLevelKey: row.skillLevelKey,
        itemName: row.itemName,
        issuerName: row.issuerName,
        issuingProvinceCode: row.issuingProvinceCode,
        issuedOn: row.issuedOn,
        validUntil: row.validUntil,
        unitId: row.unitId,
        period: row.period,
        duplicateOfCertificateId: row.duplicateOfCertificateId,
      },
      details: { source: context.source, importRunId: context.importRunId },
      occurredAt: now,
    });
  }
  await recordAuditMany(trx, audits);
  return outcomes.map((o) => o ?? rejected('number', 'INTERNAL', 'not processed', '未处理的行。'));
}

const REJECTION_STATUS: Record<string, ErrorCode> = {
  UNIT_NOT_YOURS: 'FORBIDDEN',
  NAME_REQUIRED: 'VALIDATION_FAILED',
  ISSUER_NAME_INVALID: 'VALIDATION_FAILED',
  DUPLICATE_IN_REQUEST: 'VALIDATION_FAILED',
  CONCURRENT_REGISTRATION: 'CONFLICT',
  INTERNAL: 'INTERNAL',
};

/** The error a single report answers for a rejected outcome (its own code where it has one). */
function rejectionError(outcome: Extract<ReportOutcome, { kind: 'rejected' }>): DomainError {
  const code = (REJECTION_STATUS[outcome.code] ?? outcome.code) as ErrorCode;
  const errors: FieldError[] = [
    {
      path: `/body/${outcome.field}`,
      message: outcome.existingId ? `already recorded as ${outcome.existingId}` : outcome.message,
    },
  ];
  return new DomainError(code, outcome.message, errors);
}

async function viewOf(db: Db | Trx, id: string): Promise<ExternalCertificateView> {
  const [row] = await repo.findExternalsByIds(db, [id]);
  if (!row) throw new Error('recorded certificate vanished');
  return externalView(row);
}

/**
 * Records one certificate issued elsewhere: 201 with the record, or the first rule it fails as
 * its own error code (403 FORBIDDEN for another unit's, 409 PERIOD_CLOSED, 409
 * CERTIFICATE_ALREADY_RECORDED naming the record that holds the number).
 */
export async function reportCertificate(
  db: Db,
  deps: CertificateIntakeDeps,
  auth: AuthContext,
  input: CertificateReport & { source?: 'unit_report' | 'api' },
  meta: RequestMeta,
): Promise<ExternalCertificateView> {
  return db.transaction().execute(async (trx) => {
    const [outcome] = await recordCertificatesIn(
      trx,
      { deps, auth, meta, source: input.source ?? 'unit_report', importRunId: null },
      [input],
    );
    if (!outcome) throw new Error('no outcome');
    if (outcome.kind === 'rejected') throw rejectionError(outcome);
    return viewOf(trx, outcome.id);
  });
}

/** A batch's answer: per item, accepted with the record's id or rejected with the reason. */
export interface BatchResult {
  accepted: number;
  rejected: number;
  duplicates: number;
  results: (
    | {
        index: number;
        outcome: 'accepted';
        id: string;
        duplicateOf: { certificateId: string; number: string } | null;
      }
    | {
        index: number;
        outcome: 'rejected';
        path: string;
        code: string;
        message: string;
        existingId: string | null;
      }
  )[];
}

/** Records a batch (a system's API call): the valid items in one transaction, the rest listed. */
export async function reportCertificateBatch(
  db: Db,
  deps: CertificateIntakeDeps,
  auth: AuthContext,
  items: CertificateReport[],
  source: 'unit_report' | 'api',
  meta: RequestMeta,
): Promise<BatchResult> {
  const outcomes = await db
    .transaction()
    .execute((trx) =>
      recordCertificatesIn(trx, { deps, auth, meta, source, importRunId: null }, items),
    );
  const results: BatchResult['results'] = outcomes.map((o, index) =>
    o.kind === 'accepted'
      ? { index, outcome: 'accepted', id: o.id, duplicateOf: o.duplicateOf }
      : {
          index,
          outcome: 'rejected',
          path: `/items/${index}/${o.field}`,
          code: o.code,
          message: o.message,
          existingId: o.existingId ?? null,
        },
  );
  const accepted = outcomes.filter((o) => o.kind === 'accepted');
  return {
    accepted: accepted.length,
    rejected: outcomes.length - accepted.length,
    duplicates: accepted.filter((o) => o.kind === 'accepted' && o.duplicateOf !== null).length,
    results,
  };
}

export async function getExternalCertificate(db: Db, auth: AuthContext, id: string) {
  const row = await repo.findExternal(db, auth.scope, id);
  if (!row) throw notFound();
  return externalView(row);
}

export async function listExternalCertificates(
  db: Db,
  auth: AuthContext,
  filter: repo.ExternalFilter,
) {
  const { items, total } = await repo.listExternal(db, auth.scope, filter);
  return { items: items.map(externalView), total, page: filter.page, pageSize: filter.pageSize };
}

export type CertificateCorrection = Partial<
  Omit<CertificateReport, 'kind' | 'idNumber' | 'name'>
> & { version: number };

/**
 * The record, locked, when the caller may see it, it is active and the version is current; with
 * the caller's view of it (read just before the lock: when a version is given, the one locked).
 */
async function lockCurrent(trx: Trx, auth: AuthContext, id: string, version?: number) {
  const visible = await repo.findExternal(trx, auth.scope, id);
  if (!visible) throw notFound();
  const row = await repo.lockExternal(trx, id);
  if (!row) throw notFound();
  if (row.status !== 'active') {
    throw new DomainError('CONFLICT', 'This certificate record was withdrawn', [
      { path: '/body', message: 'withdrawn' },
    ]);
  }
  if (version !== undefined && row.version !== version) {
    throw new DomainError('CONFLICT', 'Someone else changed this record; reload and try again', [
      { path: '/body/version', message: `is ${row.version} now` },
    ]);
  }
  const closed = await closedPeriods(trx, [row.period]);
  if (closed.has(row.period)) {
    throw new DomainError(
      'PERIOD_CLOSED',
      `The reporting month ${row.period} is closed: its reports can no longer change`,
    );
  }
  return { row, view: externalView(visible) };
}

/**
 * Corrects a record (not its kind or holder: withdraw and report again for those). The corrected
 * record passes the same rules; both its old and its new month must be open.
 */
export async function correctExternalCertificate(
  db: Db,
  deps: CertificateIntakeDeps,
  auth: AuthContext,
  id: string,
  changes: CertificateCorrection,
  meta: RequestMeta,
): Promise<ExternalCertificateView> {
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const { row: before, view: beforeView } = await lockCurrent(trx, auth, id, changes.version);
    const merged: CertificateReport = {
      unitId: changes.unitId ?? before.unitId,
      kind: before.kind,
      number: changes.number ?? before.number,
      idNumber: '',
      name: '',
      occupationCode:
        changes.occupationCode !== undefined ? changes.occupationCode : before.occupationCode,
      skillLevelKey:
        changes.skillLevelKey !== undefined ? changes.skillLevelKey : before.skillLevelKey,
      itemName: changes.itemName !== undefined ? changes.itemName : before.itemName,
      issuerName: changes.issuerName ?? before.issuerName,
      issuingProvinceCode: changes.issuingProvinceCode ?? before.issuingProvinceCode,
      issuedOn: changes.issuedOn ?? before.issuedOn,
      validUntil: changes.validUntil !== undefined ? changes.validUntil : before.validUntil,
    };
    const checked = checkCertificate(
      { ...merged, issuingProvinceCode: merged.issuingProvinceCode ?? DEFAULT_PROVINCE },
      shanghaiDate(now),
    );
    if (!checked.ok) {
      const first = checked.problems[0];
      throw new DomainError(
        (first?.code ?? 'VALIDATION_FAILED') as ErrorCode,
        first?.en ?? 'invalid',
        checked.problems.map((p) => ({ path: `/body/${p.field}`, message: p.en })),
      );
    }
    let certificate = checked.certificate;
    if (certificate.kind === 'special_operation' && changes.number !== undefined) {
      const bidx = deps.pii.blindIndex('id_number', normalizeIdNumber(certificate.number));
      if (bidx === (await repo.holderBlindIndex(trx, before.personId))) {
        certificate = { ...certificate, number: holderIdNumberMark(bidx) };
      }
    }
    if (certificate.occupationCode !== null) {
      const known = await repo.knownOccupations(trx, [certificate.occupationCode]);
      if (!known.has(certificate.occupationCode)) {
        throw new DomainError('OCCUPATION_UNKNOWN', `No occupation ${certificate.occupationCode}`, [
          { path: '/body/occupationCode', message: 'not an occupation of the 2022 大典' },
        ]);
      }
    }
    const unit = (await repo.allUnits(trx)).find((u) => u.id === merged.unitId);
    if (!unit) {
      throw new DomainError('UNIT_UNKNOWN', `No responsible unit ${merged.unitId}`, [
        { path: '/body/unitId', message: 'unknown responsible unit' },
      ]);
    }
    if (!mayReportFor(auth.scope, unit)) {
      throw new DomainError('FORBIDDEN', 'You may not report for this responsible unit');
    }
    const period = periodOf(certificate.issuedOn);
    if ((await closedPeriods(trx, [period])).has(period)) {
      throw new DomainError(
        'PERIOD_CLOSED',
        `The reporting month ${period} is closed: a record cannot move into it`,
      );
    }
    const holders = (await repo.activeByNumbers(trx, [certificate])).filter((r) => r.id !== id);
    const holder = holders[0];
    if (holder) {
      throw new DomainError(
        'CERTIFICATE_ALREADY_RECORDED',
        `This certificate is already recorded (${holder.id})`,
        [{ path: '/body/number', message: `already recorded as ${holder.id}` }],
      );
    }
    const duplicate = ourDuplicate(
      certificate,
      await repo.ourValidCertificates(trx, [before.personId]),
    );
    await repo.updateExternal(trx, id, {
      number: certificate.number,
      occupationCode: certificate.occupationCode,
      skillLevelKey: certificate.skillLevelKey,
      itemName: certificate.itemName,
      issuerName: merged.issuerName.trim(),
      issuingProvinceCode: certificate.issuingProvinceCode,
      issuedOn: certificate.issuedOn,
      validUntil: certificate.validUntil,
      period,
      unitId: unit.id,
      duplicateOfCertificateId: duplicate?.id ?? null,
      updatedAt: now,
    });
    const after = await viewOf(trx, id);
    await recordAuditMany(trx, [
      {
        context: auditContextOf(auth, meta),
        action: 'activity.certificate.corrected',
        entityType: 'external_certificate',
        entityId: id,
        before: beforeView,
        after,
        occurredAt: now,
      },
    ]);
    return after;
  });
}

/** Withdraws a record with a reason (never deleted); its month must be open. */
export async function withdrawExternalCertificate(
  db: Db,
  deps: CertificateIntakeDeps,
  auth: AuthContext,
  id: string,
  input: { reason: string; version?: number },
  meta: RequestMeta,
): Promise<ExternalCertificateView> {
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    await lockCurrent(trx, auth, id, input.version);
    const status: ReportStatus = 'withdrawn';
    await repo.updateExternal(trx, id, { status, updatedAt: now });
    const after = await viewOf(trx, id);
    await recordAuditMany(trx, [
      {
        context: auditContextOf(auth, meta),
        action: 'activity.certificate.withdrawn',
        entityType: 'external_certificate',
        entityId: id,
        after,
        details: { reason: input.reason.trim() },
        occurredAt: now,
      },
    ]);
    return after;
  });
}
