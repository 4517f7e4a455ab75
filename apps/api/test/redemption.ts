import type { Db } from '../src/platform/db.js';
import { uuidv7 } from '../src/platform/ids.js';
import { insertBareClass } from './classes.js';

/*
 * Factories for the redemption tests: a finished class, a voucher put straight into a state by
 * SQL, and a certificate row inserted directly (issuance through evaluations calls the same hook
 * in the real flow).
 */

const DAY_MS = 86_400_000;
let certificateSerial = 0;

/** An approved class of `organisationId` that ended `endedDaysAgo` days before `now`. */
export async function insertFinishedClass(
  db: Db,
  input: {
    organisationId: string;
    occupationCode: string;
    skillLevelKey?: string;
    subsidyStandardFen: number;
    now: Date;
    endedDaysAgo?: number;
  },
): Promise<string> {
  const endsAt = new Date(input.now.getTime() - (input.endedDaysAgo ?? 2) * DAY_MS);
  return insertBareClass(db, {
    organisationId: input.organisationId,
    occupationCode: input.occupationCode,
    skillLevelKey: input.skillLevelKey,
    subsidyStandardFen: input.subsidyStandardFen,
    startsAt: new Date(endsAt.getTime() - 20 * DAY_MS),
    endsAt,
    now: input.now,
  });
}

/**
 * Puts an issued voucher on `classId` of `organisationId` in `state` (completed by default), with
 * the holder enrolled and, for completed or later, a passed completion assessment.
 */
export async function putVoucherInClass(
  db: Db,
  input: {
    voucherId: string;
    classId: string;
    organisationId: string;
    subsidyStandardFen: number;
    now: Date;
    state?: 'bound' | 'in_training' | 'completed';
  },
): Promise<void> {
  const state = input.state ?? 'completed';
  const voucher = await db
    .updateTable('vouchers')
    .set({
      state,
      classId: input.classId,
      organisationId: input.organisationId,
      subsidyStandardFen: input.subsidyStandardFen,
      boundAt: input.now,
    })
    .where('id', '=', input.voucherId)
    .returning(['personId'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('classTrainees')
    .values({
      id: uuidv7(),
      classId: input.classId,
      personId: voucher.personId,
      voucherId: input.voucherId,
      enrolledAt: input.now,
      enrolledBy: null,
      completionResult: state === 'completed' ? 'passed' : null,
      completionScore: state === 'completed' ? 88 : null,
      completionNote: null,
      attendedMinutes: state === 'completed' ? 600 : null,
      completedAt: state === 'completed' ? input.now : null,
      completedBy: null,
    })
    .execute();
}

/** A valid skill-level certificate of `personId`, inserted directly; returns id and number. */
export async function insertCertificate(
  db: Db,
  input: {
    personId: string;
    organisationId: string;
    occupationCode: string;
    skillLevelKey: string;
    issuedOn: string;
    now: Date;
  },
): Promise<{ id: string; number: string }> {
  const level = await db
    .selectFrom('skillLevels')
    .select('levelDigit')
    .where('key', '=', input.skillLevelKey)
    .executeTakeFirstOrThrow();
  certificateSerial += 1;
  const special = input.skillLevelKey === 'special_ability';
  const number = special
    ? `ZX41-${String(certificateSerial).padStart(6, '0')}`
    : `S000041000001${input.issuedOn.slice(2, 4)}${level.levelDigit ?? 5}${String(certificateSerial).padStart(6, '0')}`;
  const id = uuidv7();
  await db
    .insertInto('certificates')
    .values({
      id,
      number,
      kind: special ? 'special_ability' : 'skill_level',
      personId: input.personId,
      occupationCode: input.occupationCode,
      occupationLevel: 4,
      skillLevelKey: input.skillLevelKey,
      specialAbilityId: null,
      holderName: '测试人员',
      holderIdNumberMasked: '411402********0011',
      organisationId: input.organisationId,
      siteId: null,
      issuerName: '测试评价机构',
      sessionId: null,
      candidateId: null,
      issuedOn: input.issuedOn,
      status: 'valid',
      revokedAt: null,
      revokedBy: null,
      revocationReason: null,
      regionCode: '411403',
      createdAt: input.now,
      updatedAt: input.now,
    })
    .execute();
  return { id, number };
}
