import type { Db } from '../src/platform/db.js';
import { uuidv7 } from '../src/platform/ids.js';

/**
 * A class row as the classes module leaves it once decided (approved by default), for tests of the
 * modules that use classes: plan 1's first unit, one offline block of 600 minutes, 80 % threshold.
 */
export async function insertBareClass(
  db: Db,
  input: {
    organisationId: string;
    occupationCode: string;
    startsAt: Date;
    endsAt: Date;
    now: Date;
    name?: string;
    skillLevelKey?: string;
    capacity?: number;
    subsidyStandardFen?: number;
    state?: 'approved' | 'submitted';
  },
): Promise<string> {
  const planUnit = await db
    .selectFrom('planUnits')
    .select(['planNo', 'unitId'])
    .where('planNo', '=', 1)
    .executeTakeFirstOrThrow();
  const id = uuidv7();
  const state = input.state ?? 'approved';
  await db
    .insertInto('classes')
    .values({
      id,
      organisationId: input.organisationId,
      name: input.name ?? '制米工培训班',
      occupationCode: input.occupationCode,
      occupationLevel: 4,
      skillLevelKey: input.skillLevelKey ?? 'level5',
      planNo: planUnit.planNo,
      unitId: planUnit.unitId,
      trainingType: 'pre_job',
      regionCode: '411403',
      address: '睢阳区测试路1号',
      capacity: input.capacity ?? 30,
      offlineMinutes: 600,
      onlineMinutes: 0,
      subsidyStandardFen: input.subsidyStandardFen ?? 120_000,
      attendanceThresholdPercent: 80,
      state,
      returnReason: null,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      createdBy: null,
      submittedAt: input.now,
      decidedAt: state === 'approved' ? input.now : null,
      decidedBy: null,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .execute();
  return id;
}
