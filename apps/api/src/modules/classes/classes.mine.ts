import { DomainError } from '../../platform/errors.js';
import type { AuthContext } from '../auth/auth.service.js';
import * as repo from './classes.repository.js';
import { creditedMinutes, hoursOf, isCheckInOpen, requiredMinutes } from './classes.rules.js';
import { attendedOf, classSummary, sessionView, type ClassDeps } from './classes.service.js';

/*
 * 我的培训: a worker's own classes with their sessions, their attendance per session, attended and
 * required hours and completion result, for the mobile /me/classes page.
 */

/** The worker's classes, newest first, each with the sessions and the worker's own record. */
export async function myClasses(deps: ClassDeps, auth: AuthContext) {
  const scope = auth.scope;
  if (scope.kind !== 'person') throw new DomainError('NOT_FOUND', 'No person record');
  const now = deps.clock.now();
  const db = deps.db;
  const trainees = await db
    .selectFrom('classTrainees')
    .selectAll()
    .where('personId', '=', scope.personId)
    .execute();
  if (trainees.length === 0) return { items: [] };
  const classIds = trainees.map((x) => x.classId);
  const [counts, attendance] = await Promise.all([
    repo.enrolmentCounts(db, classIds),
    db
      .selectFrom('classAttendance')
      .selectAll()
      .where('personId', '=', scope.personId)
      .where('classId', 'in', classIds)
      .execute(),
  ]);
  const items = [];
  for (const trainee of trainees) {
    const cls = await repo.findClass(db, trainee.classId);
    if (!cls) continue;
    const sessions = await repo.sessionsOf(db, cls.id);
    const mine = new Map(
      attendance.filter((a) => a.classId === cls.id).map((a) => [a.sessionId, a]),
    );
    const credited: Parameters<typeof attendedOf>[1] = [];
    const sessionItems = sessions.map((session) => {
      const a = mine.get(session.id);
      if (a)
        credited.push({ ...session, checkedInAt: a.checkedInAt, checkedOutAt: a.checkedOutAt });
      return {
        ...sessionView(session),
        running: session.startsAt <= now && now < session.endsAt,
        checkInOpen: isCheckInOpen(session, now),
        attendance: a
          ? {
              checkedInAt: a.checkedInAt.toISOString(),
              checkInMethod: a.checkInMethod,
              checkedOutAt: a.checkedOutAt?.toISOString() ?? null,
              checkOutMethod: a.checkOutMethod,
              creditedHours: hoursOf(creditedMinutes(session, a)),
            }
          : null,
      };
    });
    items.push({
      ...classSummary(cls, counts.get(cls.id) ?? 0, now),
      sessions: sessionItems,
      trainee: {
        voucherId: trainee.voucherId,
        enrolledAt: trainee.enrolledAt.toISOString(),
        onlineHours: hoursOf(trainee.onlineMinutes),
        attendedHours: hoursOf(attendedOf(cls, credited, trainee.onlineMinutes)),
        requiredHours: hoursOf(requiredMinutes(cls)),
        completionResult: trainee.completionResult,
        completionScore: trainee.completionScore === null ? null : Number(trainee.completionScore),
        completedAt: trainee.completedAt?.toISOString() ?? null,
      },
    });
  }
  items.sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return { items };
}
