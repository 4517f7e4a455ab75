/** Sessions end after 30 minutes without a request, and 12 hours after login in any case. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
export const SESSION_TOUCH_MS = 60 * 1000;

/** Five wrong passwords in a row lock the account for fifteen minutes. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export interface SessionTimes {
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export type SessionStatus = 'active' | 'revoked' | 'idle_expired' | 'expired';

export function sessionStatus(session: SessionTimes, now: Date): SessionStatus {
  if (session.revokedAt) return 'revoked';
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_IDLE_MS) return 'idle_expired';
  return 'active';
}

export function shouldTouch(session: SessionTimes, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= SESSION_TOUCH_MS;
}

export interface LockState {
  failedLoginCount: number;
  lockedUntil: Date | null;
}

/** Seconds left on a lock, or 0 when the account is not locked at `now`. */
export function lockSecondsLeft(state: LockState, now: Date): number {
  if (!state.lockedUntil) return 0;
  return Math.max(0, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
}

/** The lock state after one more wrong password. */
export function afterFailedLogin(state: LockState, now: Date): LockState {
  // A lock that has run out starts a fresh count.
  const count =
    lockSecondsLeft(state, now) === 0 && state.lockedUntil ? 1 : state.failedLoginCount + 1;
  if (count >= LOCKOUT_THRESHOLD) {
    return { failedLoginCount: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MS) };
  }
  return {
    failedLoginCount: count,
    lockedUntil: lockSecondsLeft(state, now) > 0 ? state.lockedUntil : null,
  };
}
