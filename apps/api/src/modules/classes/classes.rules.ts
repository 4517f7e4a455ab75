import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../../platform/auth/roles.js';
import type { ClassState, ClassStatus } from './classes.schema.js';

/*
 * Pure rules of classes and attendance: the state machine, civil times, the rotating session QR,
 * attended hours and the completion threshold. No I/O.
 */

export type ClassAction = 'submit' | 'approve' | 'return';

const TRANSITIONS: Record<ClassState, Partial<Record<ClassAction, ClassState>>> = {
  draft: { submit: 'submitted' },
  submitted: { approve: 'approved', return: 'returned' },
  // A returned class is corrected by the institution's staff and submitted again.
  returned: { submit: 'submitted' },
  approved: {},
};

/** The state a class moves to on `action`, or null when the action is not allowed from `state`. */
export function nextClassState(state: ClassState, action: ClassAction): ClassState | null {
  return TRANSITIONS[state][action] ?? null;
}

/** What an approved class is at `now`: approved (not started), in progress or finished. */
export function classStatus(
  row: { state: ClassState; startsAt: Date; endsAt: Date },
  now: Date,
): ClassStatus {
  if (row.state !== 'approved') return row.state;
  if (now.getTime() < row.startsAt.getTime()) return 'approved';
  if (now.getTime() < row.endsAt.getTime()) return 'in_progress';
  return 'finished';
}

/*
 * Session times arrive as Shanghai civil date and time. China has kept UTC+8 without daylight
 * saving since 1991, so the offset is fixed (platform/clock names the zone).
 */
const SHANGHAI_OFFSET = '+08:00';

/** The instant of a Shanghai civil date (YYYY-MM-DD) and time (HH:MM). */
export function shanghaiInstant(date: string, time: string): Date {
  return new Date(`${date}T${time}:00${SHANGHAI_OFFSET}`);
}

const shanghaiParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The Shanghai civil date and HH:MM time of an instant. */
export function shanghaiDateTime(at: Date): { date: string; time: string } {
  const parts = Object.fromEntries(shanghaiParts.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
}

export interface SessionInput {
  date: string;
  startTime: string;
  endTime: string;
}

export interface PlannedSession {
  seq: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Sessions in time order with their instants, or the problems with them: an end not after its
 * start, or two sessions overlapping.
 */
export function planSessions(
  inputs: readonly SessionInput[],
):
  | { ok: true; sessions: PlannedSession[] }
  | { ok: false; errors: { index: number; message: string }[] } {
  const errors: { index: number; message: string }[] = [];
  const timed = inputs.map((input, index) => ({
    index,
    startsAt: shanghaiInstant(input.date, input.startTime),
    endsAt: shanghaiInstant(input.date, input.endTime),
  }));
  for (const s of timed) {
    if (Number.isNaN(s.startsAt.getTime()) || Number.isNaN(s.endsAt.getTime())) {
      errors.push({ index: s.index, message: 'is not a real date and time' });
    } else if (s.endsAt.getTime() <= s.startsAt.getTime()) {
      errors.push({ index: s.index, message: 'must end after it starts' });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const sorted = [...timed].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous && current && current.startsAt.getTime() < previous.endsAt.getTime()) {
      errors.push({ index: current.index, message: 'overlaps another session' });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    sessions: sorted.map((s, i) => ({ seq: i + 1, startsAt: s.startsAt, endsAt: s.endsAt })),
  };
}

export function minutesBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 60_000);
}

/** Minutes as hours for the API (half hours stay exact: 90 → 1.5). */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

/** Hours from the API as whole minutes. */
export function minutesOf(hours: number): number {
  return Math.round(hours * 60);
}

/** Check-in opens this long before a session starts and closes at its end. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
/** Check-out is accepted until this long after a session ends (people leave late). */
export const CHECK_OUT_CLOSES_AFTER_MS = 30 * 60_000;

/** Whether a session is running for check-in: now within [starts_at − 30 min, ends_at]. */
export function isCheckInOpen(session: { startsAt: Date; endsAt: Date }, now: Date): boolean {
  const t = now.getTime();
  return (
    t >= session.startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS && t <= session.endsAt.getTime()
  );
}

/** Whether a check-out is accepted: from the session's start to 30 minutes after its end. */
export function isCheckOutOpen(session: { startsAt: Date; endsAt: Date }, now: Date): boolean {
  const t = now.getTime();
  return (
    t >= session.startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS &&
    t <= session.endsAt.getTime() + CHECK_OUT_CLOSES_AFTER_MS
  );
}

/**
 * Minutes a trainee is credited for one session: the time between check-in and check-out that
 * falls inside the session. A check-in without a check-out credits nothing, since nobody can
 * tell whether the trainee stayed (and R-PLT-4 flags attendance that cannot be true).
 */
export function creditedMinutes(
  session: { startsAt: Date; endsAt: Date },
  attendance: { checkedInAt: Date; checkedOutAt: Date | null },
): number {
  if (!attendance.checkedOutAt) return 0;
  const from = Math.max(session.startsAt.getTime(), attendance.checkedInAt.getTime());
  const to = Math.min(session.endsAt.getTime(), attendance.checkedOutAt.getTime());
  return to > from ? Math.floor((to - from) / 60_000) : 0;
}

/** Minutes of attendance the class demands: the threshold share of offline plus online time. */
export function requiredMinutes(cls: {
  offlineMinutes: number;
  onlineMinutes: number;
  attendanceThresholdPercent: number;
}): number {
  return Math.ceil(
    ((cls.offlineMinutes + cls.onlineMinutes) * cls.attendanceThresholdPercent) / 100,
  );
}

/** Whether a class is visible to a scope (404 otherwise); a worker sees classes they are in. */
export function canSeeClass(
  scope: Scope,
  cls: { organisationId: string; regionCode: string; unitId: string },
  isTrainee: boolean,
): boolean {
  switch (scope.kind) {
    case 'city':
      return true;
    case 'region':
      return cls.regionCode === scope.regionCode;
    case 'unit':
      return cls.unitId === scope.unitId;
    case 'organisation':
      return cls.organisationId === scope.organisationId;
    case 'person':
      return isTrainee;
  }
}

/** The QR of a session rotates every 30 seconds; the current and the previous step are accepted. */
export const QR_STEP_MS = 30_000;

export function qrStep(at: Date): number {
  return Math.floor(at.getTime() / QR_STEP_MS);
}

function qrMac(key: Buffer, classId: string, sessionId: string, step: number): string {
  return createHmac('sha256', key)
    .update(`jineng.attendance-qr.v1|${classId}|${sessionId}|${step}`)
    .digest('base64url');
}

/** The session's QR token for a step: `v1.<classId>.<sessionId>.<step>.<HMAC-SHA256>`. */
export function signQrToken(key: Buffer, classId: string, sessionId: string, step: number): string {
  return `v1.${classId}.${sessionId}.${step}.${qrMac(key, classId, sessionId, step)}`;
}

export type QrCheck =
  { ok: true } | { ok: false; reason: 'malformed' | 'forged' | 'foreign' | 'stale' };

/**
 * Checks a scanned token against the session it is posted to at `now`: signed by us, for this
 * class and session, and of the current or previous 30-second step (so a photo of the screen
 * stops working within a minute).
 */
export function verifyQrToken(
  key: Buffer,
  token: string,
  expected: { classId: string; sessionId: string },
  now: Date,
): QrCheck {
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') return { ok: false, reason: 'malformed' };
  const [, classId = '', sessionId = '', stepText = '', mac = ''] = parts;
  if (!/^[0-9]{1,15}$/.test(stepText)) return { ok: false, reason: 'malformed' };
  const step = Number(stepText);
  const want = Buffer.from(qrMac(key, classId, sessionId, step));
  const got = Buffer.from(mac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    return { ok: false, reason: 'forged' };
  }
  if (classId !== expected.classId || sessionId !== expected.sessionId) {
    return { ok: false, reason: 'foreign' };
  }
  const current = qrStep(now);
  if (step !== current && step !== current - 1) return { ok: false, reason: 'stale' };
  return { ok: true };
}
