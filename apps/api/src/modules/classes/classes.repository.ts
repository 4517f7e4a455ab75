import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db.js';
import type { Scope } from '../../platform/auth/roles.js';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  ClassAttendanceTable,
  ClassesTable,
  ClassSessionsTable,
  ClassState,
  ClassTraineesTable,
} from './classes.schema.js';

export type ClassRow = Selectable<ClassesTable>;
export type SessionRow = Selectable<ClassSessionsTable>;

export async function findClass(db: DbOrTrx, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('classes').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function insertClass(db: DbOrTrx, row: Insertable<ClassesTable>): Promise<void> {
  await db.insertInto('classes').values(row).execute();
}

export async function updateClass(
  db: DbOrTrx,
  id: string,
  changes: Updateable<ClassesTable>,
): Promise<ClassRow> {
  return db
    .updateTable('classes')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertSessions(
  db: DbOrTrx,
  rows: Insertable<ClassSessionsTable>[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto('classSessions').values(rows).execute();
}

export async function sessionsOf(db: DbOrTrx, classId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('classSessions')
    .selectAll()
    .where('classId', '=', classId)
    .orderBy('seq')
    .execute();
}

export async function findSession(db: DbOrTrx, classId: string, sessionId: string) {
  return db
    .selectFrom('classSessions')
    .selectAll()
    .where('classId', '=', classId)
    .where('id', '=', sessionId)
    .executeTakeFirst();
}

export interface ClassSearch {
  status?: ClassState | 'in_progress' | 'finished';
  occupationCode?: string;
  planNo?: number;
  now: Date;
  page: number;
  pageSize: number;
}

/** Classes a scope sees, filtered (derived statuses by date) and paged, newest start first. */
export async function searchClasses(db: DbOrTrx, scope: Scope, search: ClassSearch) {
  let query = db.selectFrom('classes as c');
  switch (scope.kind) {
    case 'city':
      break;
    case 'region':
      query = query.where('c.regionCode', '=', scope.regionCode);
      break;
    case 'unit':
      query = query.where('c.unitId', '=', scope.unitId);
      break;
    case 'organisation':
      query = query.where('c.organisationId', '=', scope.organisationId);
      break;
    case 'person':
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('classTrainees as t')
            .select('t.id')
            .whereRef('t.classId', '=', 'c.id')
            .where('t.personId', '=', scope.personId),
        ),
      );
      break;
  }
  const { status, now } = search;
  if (status === 'in_progress') {
    query = query
      .where('c.state', '=', 'approved')
      .where('c.startsAt', '<=', now)
      .where('c.endsAt', '>', now);
  } else if (status === 'finished') {
    query = query.where('c.state', '=', 'approved').where('c.endsAt', '<=', now);
  } else if (status === 'approved') {
    query = query.where('c.state', '=', 'approved').where('c.startsAt', '>', now);
  } else if (status) {
    query = query.where('c.state', '=', status);
  }
  if (search.occupationCode) query = query.where('c.occupationCode', '=', search.occupationCode);
  if (search.planNo !== undefined) query = query.where('c.planNo', '=', search.planNo);
  const [items, count] = await Promise.all([
    query
      .selectAll('c')
      .orderBy('c.startsAt', 'desc')
      .orderBy('c.id')
      .limit(search.pageSize)
      .offset((search.page - 1) * search.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function countTrainees(db: DbOrTrx, classId: string): Promise<number> {
  const row = await db
    .selectFrom('classTrainees')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('classId', '=', classId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function enrolmentCounts(
  db: DbOrTrx,
  classIds: string[],
): Promise<Map<string, number>> {
  if (classIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('classTrainees')
    .select(['classId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('classId', 'in', classIds)
    .groupBy('classId')
    .execute();
  return new Map(rows.map((r) => [r.classId, Number(r.n)]));
}

export async function findTrainee(
  db: DbOrTrx,
  classId: string,
  personId: string,
  options: { forUpdate?: boolean } = {},
) {
  let query = db
    .selectFrom('classTrainees')
    .selectAll()
    .where('classId', '=', classId)
    .where('personId', '=', personId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface NewTrainee {
  id: string;
  classId: string;
  personId: string;
  voucherId: string | null;
  enrolledAt: Date;
  enrolledBy: string | null;
}

/** Inserts a trainee; false when the person is in the class already. */
export async function insertTrainee(db: DbOrTrx, row: NewTrainee): Promise<boolean> {
  const result = await db
    .insertInto('classTrainees')
    .values(row)
    .onConflict((oc) => oc.constraint('class_trainees_class_person_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Trainees of a class with the person's name and masked ID number, by enrolment. */
export async function traineesOf(db: DbOrTrx, classId: string) {
  return db
    .selectFrom('classTrainees as t')
    .innerJoin('persons as p', 'p.id', 't.personId')
    .select([
      't.id',
      't.classId',
      't.personId',
      'p.name',
      'p.idNumberMasked',
      't.voucherId',
      't.enrolledAt',
      't.onlineMinutes',
      't.completionResult',
      't.completionScore',
      't.completionNote',
      't.attendedMinutes',
      't.completedAt',
    ])
    .where('t.classId', '=', classId)
    .orderBy('t.enrolledAt')
    .orderBy('t.id')
    .execute();
}
export type TraineeView = Awaited<ReturnType<typeof traineesOf>>[number];

export async function updateTrainee(
  db: DbOrTrx,
  id: string,
  changes: Updateable<ClassTraineesTable>,
): Promise<void> {
  await db.updateTable('classTrainees').set(changes).where('id', '=', id).execute();
}

export async function checkOut(db: DbOrTrx, id: string, changes: Updateable<ClassAttendanceTable>) {
  return db
    .updateTable('classAttendance')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findAttendance(db: DbOrTrx, sessionId: string, personId: string) {
  return db
    .selectFrom('classAttendance')
    .selectAll()
    .where('sessionId', '=', sessionId)
    .where('personId', '=', personId)
    .forUpdate()
    .executeTakeFirst();
}

/** A check-in of this person in another session overlapping [startsAt, endsAt). */
export async function findOverlappingAttendance(
  db: DbOrTrx,
  personId: string,
  startsAt: Date,
  endsAt: Date,
) {
  return db
    .selectFrom('classAttendance')
    .select(['id', 'classId', 'sessionId'])
    .where('personId', '=', personId)
    .where(sql<boolean>`session_range && tstzrange(${startsAt}, ${endsAt})`)
    .executeTakeFirst();
}

export interface NewCheckIn {
  id: string;
  classId: string;
  sessionId: string;
  personId: string;
  startsAt: Date;
  endsAt: Date;
  checkedInAt: Date;
  checkInMethod: 'qr' | 'face' | 'manual';
  checkInPlace: string | null;
  checkInReason: string | null;
  checkInBy: string | null;
}

export async function insertCheckIn(db: DbOrTrx, row: NewCheckIn) {
  const { startsAt, endsAt, ...rest } = row;
  return db
    .insertInto('classAttendance')
    .values({ ...rest, sessionRange: sql<string>`tstzrange(${startsAt}, ${endsAt})` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function attendanceOfTrainee(db: DbOrTrx, classId: string, personId: string) {
  return db
    .selectFrom('classAttendance as a')
    .innerJoin('classSessions as s', 's.id', 'a.sessionId')
    .select(['s.startsAt', 's.endsAt', 'a.checkedInAt', 'a.checkedOutAt'])
    .where('a.classId', '=', classId)
    .where('a.personId', '=', personId)
    .execute();
}

export async function personExists(db: DbOrTrx, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('persons')
    .select('id')
    .where('id', '=', personId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the occupation (catalog code at level 4) exists. */
export async function occupationExists(db: DbOrTrx, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('occupations')
    .select('code')
    .where('code', '=', code)
    .where('level', '=', 4)
    .executeTakeFirst();
  return row !== undefined;
}

export async function skillLevelExists(db: DbOrTrx, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('skillLevels')
    .select('key')
    .where('key', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}

export async function planUnitExists(db: DbOrTrx, planNo: number, unitId: string) {
  const row = await db
    .selectFrom('planUnits')
    .select('unitId')
    .where('planNo', '=', planNo)
    .where('unitId', '=', unitId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function planExists(db: DbOrTrx, planNo: number): Promise<boolean> {
  const row = await db
    .selectFrom('plans')
    .select('planNo')
    .where('planNo', '=', planNo)
    .executeTakeFirst();
  return row !== undefined;
}

/** A county-level region of Shangqiu (4114xx, or a local unit like 4114L1). */
export async function isShangqiuCounty(db: DbOrTrx, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('regions')
    .select('code')
    .where('code', '=', code)
    .where('level', '=', 3)
    .where('code', 'like', '4114%')
    .executeTakeFirst();
  return row !== undefined;
}

/** Every check-in of a session, in the order they came. */
export async function attendanceOfSession(db: DbOrTrx, sessionId: string) {
  return db
    .selectFrom('classAttendance')
    .selectAll()
    .where('sessionId', '=', sessionId)
    .orderBy('checkedInAt')
    .orderBy('id')
    .execute();
}
