import { invalidateCertificateCache } from '../verification/verification.cache.js';
import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db, DbOrTrx, Trx } from '../../platform/db.js';
import { DomainError, violates } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import {
  certifyVouchersForCertificate,
  onCertificateRevoked,
} from '../vouchers/vouchers.certify.js';
import * as repo from './certificates.repository.js';
import {
  formatSkillLevelNumber,
  formatSpecialAbilityNumber,
  MAX_SKILL_LEVEL_SERIAL,
  PROVINCE_CODE,
} from './certificates.rules.js';

export interface CertificateDeps {
  clock: Clock;
}

/** A certificate as every answer shows it: the holder's name and masked ID, never the full one. */
export function certificateView(row: repo.CertificateRow) {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    personId: row.personId,
    holderName: row.holderName,
    holderIdNumberMasked: row.holderIdNumberMasked,
    occupationCode: row.occupationCode,
    occupationLevel: row.occupationLevel,
    occupationName: row.occupationName,
    skillLevelKey: row.skillLevelKey,
    skillLevelName: row.skillLevelName,
    specialAbilityId: row.specialAbilityId,
    specialAbilityName: row.specialAbilityName,
    organisationId: row.organisationId,
    issuerName: row.issuerName,
    siteId: row.siteId,
    siteName: row.siteName,
    issuingProvinceCode: row.issuingProvinceCode,
    sessionId: row.sessionId,
    sessionHeldOn: row.sessionHeldOn,
    candidateId: row.candidateId,
    issuedOn: row.issuedOn,
    status: row.status,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revocationReason: row.revocationReason,
    statusListIndex: row.statusListIndex,
    regionCode: row.regionCode,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type CertificateView = ReturnType<typeof certificateView>;

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such certificate in your scope');
}

/** What issuing needs of a passed candidate; the evaluations service gathers it. */
export interface IssueInput {
  session: {
    id: string;
    occupationCode: string;
    occupationLevel: number;
    skillLevelKey: string;
    /** null for 专项职业能力. */
    levelDigit: number | null;
    specialAbilityId: string | null;
  };
  site: { id: string; serialCode: string };
  organisation: {
    id: string;
    name: string;
    evaluationType: 'Y' | 'S' | null;
    institutionCode: string | null;
  };
  candidate: { id: string };
  holder: { personId: string; name: string; idNumberMasked: string; regionCode: string };
}

export type IssueOutcome =
  | { issued: true; certificateId: string; number: string; certifiedVoucherIds: string[] }
  | { issued: false; heldCertificateId: string; heldNumber: string };

/**
 * Issues the certificate of a passed candidate inside the caller's transaction: the number from
 * the gapless serial of the site, issue year (Asia/Shanghai) and level, the holder's name and
 * masked ID copied as printed, an audit row, and the voucher hook (以证换券). When the person
 * already holds a valid certificate for the occupation and level, nothing is issued and the one
 * held is named instead; a concurrent issuance that wins the race answers 409.
 */
export async function issueCertificateIn(
  trx: Trx,
  input: IssueInput,
  context: AuditContext,
  now: Date,
): Promise<IssueOutcome> {
  const key = {
    personId: input.holder.personId,
    occupationCode: input.session.occupationCode,
    skillLevelKey: input.session.skillLevelKey,
    specialAbilityId: input.session.specialAbilityId,
  };
  const held = await repo.findValidHeld(trx, key);
  if (held) return { issued: false, heldCertificateId: held.id, heldNumber: held.number };
  const issuedOn = shanghaiDate(now);
  const year = Number(issuedOn.slice(0, 4));
  const number = await nextNumber(trx, input, year);
  const id = uuidv7();
  const kind = input.session.specialAbilityId === null ? 'skill_level' : 'special_ability';
  try {
    await repo.insertCertificate(trx, {
      id,
      number,
      kind,
      ...key,
      occupationLevel: input.session.occupationLevel,
      holderName: input.holder.name,
      holderIdNumberMasked: input.holder.idNumberMasked,
      organisationId: input.organisation.id,
      siteId: input.site.id,
      issuerName: input.organisation.name,
      issuingProvinceCode: PROVINCE_CODE,
      sessionId: input.session.id,
      candidateId: input.candidate.id,
      issuedOn,
      status: 'valid',
      revokedAt: null,
      revokedBy: null,
      revocationReason: null,
      regionCode: input.holder.regionCode,
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    if (violates(error, '23505', 'certificates_one_valid_key')) {
      throw new DomainError(
        'CERTIFICATE_EXISTS',
        'The person was just issued a certificate for this occupation and level; submit again',
      );
    }
    throw error;
  }
  await recordAudit(trx, {
    context,
    action: 'certificate.issued',
    entityType: 'certificate',
    entityId: id,
    after: {
      number,
      kind,
      personId: key.personId,
      occupationCode: key.occupationCode,
      skillLevelKey: key.skillLevelKey,
      specialAbilityId: key.specialAbilityId,
      issuedOn,
    },
    details: { sessionId: input.session.id, candidateId: input.candidate.id },
    occurredAt: now,
  });
  const certifiedVoucherIds = await certifyVouchersForCertificate(
    trx,
    {
      id,
      personId: key.personId,
      occupationCode: key.occupationCode,
      skillLevelKey: key.skillLevelKey,
      issuedOn,
    },
    context,
    now,
  );
  return { issued: true, certificateId: id, number, certifiedVoucherIds };
}

async function nextNumber(trx: Trx, input: IssueInput, year: number): Promise<string> {
  if (input.session.specialAbilityId !== null) {
    const prefix = formatSpecialAbilityNumber({
      siteSerialCode: input.site.serialCode,
      year,
      serial: 1,
    }).slice(0, -5);
    const serial = await repo.nextSpecialAbilitySerial(trx, input.site.id, prefix);
    return formatSpecialAbilityNumber({ siteSerialCode: input.site.serialCode, year, serial });
  }
  const { evaluationType, institutionCode } = input.organisation;
  if (evaluationType === null || institutionCode === null || input.session.levelDigit === null) {
    throw new Error('an evaluation institution without its type, code or the level digit');
  }
  const serial = await repo.nextSkillLevelSerial(
    trx,
    { siteId: input.site.id, year, levelDigit: input.session.levelDigit },
    MAX_SKILL_LEVEL_SERIAL,
  );
  if (serial === undefined) {
    throw new DomainError(
      'CERTIFICATE_SERIALS_EXHAUSTED',
      `All ${MAX_SKILL_LEVEL_SERIAL} serials of this site, year and level are used`,
    );
  }
  return formatSkillLevelNumber({
    evaluationType,
    institutionCode,
    siteSerialCode: input.site.serialCode,
    year,
    levelDigit: input.session.levelDigit,
    serial,
  });
}

/** The valid certificate a person holds for an occupation and level (and 专项 item), if any. */
export async function findValidCertificate(
  db: DbOrTrx,
  key: {
    personId: string;
    occupationCode: string;
    skillLevelKey: string;
    specialAbilityId: string | null;
  },
): Promise<{ id: string; number: string } | undefined> {
  return repo.findValidHeld(db, key);
}

/** The certificates a session issued, unscoped (the caller has seen the session). */
export async function certificatesOfSession(
  db: DbOrTrx,
  sessionId: string,
): Promise<CertificateView[]> {
  return (await repo.certificatesOfSession(db, sessionId)).map(certificateView);
}

export async function getCertificate(db: Db, auth: AuthContext, id: string) {
  const row = await repo.findCertificate(db, auth.scope, id);
  if (!row) throw notFound();
  return certificateView(row);
}

export async function listCertificates(
  db: Db,
  auth: AuthContext,
  query: repo.CertificateFilter & { page: number; pageSize: number },
) {
  const { page, pageSize, ...filter } = query;
  const { items, total } = await repo.listCertificates(db, auth.scope, filter, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: items.map(certificateView), total, page, pageSize };
}

/**
 * Revokes a certificate in the caller's scope with a reason: audited, visible wherever it is
 * shown, and passed to the voucher hook (a certified voucher not yet redeemed goes back, claims on
 * it are flagged). Revoking a revoked certificate answers it unchanged.
 */
export async function revokeCertificate(
  db: Db,
  deps: CertificateDeps,
  auth: AuthContext,
  id: string,
  reason: string,
  meta: RequestMeta,
): Promise<CertificateView> {
  const revoked = await db.transaction().execute(async (trx) => {
    const visible = await repo.findCertificate(trx, auth.scope, id);
    if (!visible) throw notFound();
    const locked = await repo.lockCertificate(trx, id);
    if (!locked) throw notFound();
    if (locked.status === 'revoked') return certificateView(visible);
    const now = deps.clock.now();
    await repo.updateCertificate(trx, id, {
      status: 'revoked',
      revokedAt: now,
      revokedBy: auth.user.id,
      revocationReason: reason,
      updatedAt: now,
    });
    const context = auditContextOf(auth, meta);
    await recordAudit(trx, {
      context,
      action: 'certificate.revoked',
      entityType: 'certificate',
      entityId: id,
      before: { status: locked.status },
      after: { status: 'revoked', number: locked.number },
      details: { reason },
      occurredAt: now,
    });
    await onCertificateRevoked(trx, id, reason, context, now);
    const row = await repo.findCertificate(trx, { kind: 'city' }, id);
    if (!row) throw notFound();
    return certificateView(row);
  });
  // After the commit: the public verify answer and the status list must not serve "valid".
  invalidateCertificateCache(revoked.number);
  return revoked;
}
