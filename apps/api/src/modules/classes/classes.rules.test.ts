import { describe, expect, it } from 'vitest';
import {
  canSeeClass,
  classStatus,
  creditedMinutes,
  isCheckInOpen,
  nextClassState,
  planSessions,
  qrStep,
  requiredMinutes,
  shanghaiDateTime,
  shanghaiInstant,
  signQrToken,
  verifyQrToken,
  type ClassAction,
} from './classes.rules.js';
import { CLASS_STATES, type ClassState } from './classes.schema.js';

const KEY = Buffer.alloc(32, 7);
const CLASS = '0193a0a0-0000-7000-8000-0000000000c1';
const SESSION = '0193a0a0-0000-7000-8000-0000000000d1';
const OTHER_SESSION = '0193a0a0-0000-7000-8000-0000000000d2';

describe('the class state machine', () => {
  const allowed: Record<string, ClassState | null> = {
    'draft submit': 'submitted',
    'draft approve': null,
    'draft return': null,
    'submitted submit': null,
    'submitted approve': 'approved',
    'submitted return': 'returned',
    'returned submit': 'submitted',
    'returned approve': null,
    'returned return': null,
    'approved submit': null,
    'approved approve': null,
    'approved return': null,
  };
  for (const state of CLASS_STATES) {
    for (const action of ['submit', 'approve', 'return'] as ClassAction[]) {
      it(`${state} + ${action} → ${String(allowed[`${state} ${action}`])}`, () => {
        expect(nextClassState(state, action)).toBe(allowed[`${state} ${action}`]);
      });
    }
  }

  it('derives in progress and finished from an approved class’s dates', () => {
    const row = {
      state: 'approved' as const,
      startsAt: new Date('2026-04-01T01:00:00Z'),
      endsAt: new Date('2026-04-02T09:00:00Z'),
    };
    expect(classStatus(row, new Date('2026-03-31T00:00:00Z'))).toBe('approved');
    expect(classStatus(row, new Date('2026-04-01T01:00:00Z'))).toBe('in_progress');
    expect(classStatus(row, new Date('2026-04-02T09:00:00Z'))).toBe('finished');
    expect(classStatus({ ...row, state: 'submitted' }, new Date('2026-05-01'))).toBe('submitted');
  });
});

describe('session times', () => {
  it('reads civil times as Shanghai time and back', () => {
    const at = shanghaiInstant('2026-04-01', '09:00');
    expect(at.toISOString()).toBe('2026-04-01T01:00:00.000Z');
    expect(shanghaiDateTime(at)).toEqual({ date: '2026-04-01', time: '09:00' });
  });

  it('sorts sessions and refuses overlapping or backwards ones', () => {
    const ok = planSessions([
      { date: '2026-04-02', startTime: '09:00', endTime: '12:00' },
      { date: '2026-04-01', startTime: '14:00', endTime: '17:30' },
    ]);
    expect(ok.ok && ok.sessions.map((s) => s.seq)).toEqual([1, 2]);
    expect(ok.ok && ok.sessions[0]?.startsAt.toISOString()).toBe('2026-04-01T06:00:00.000Z');
    const bad = planSessions([
      { date: '2026-04-01', startTime: '09:00', endTime: '12:00' },
      { date: '2026-04-01', startTime: '11:00', endTime: '13:00' },
      { date: '2026-04-02', startTime: '12:00', endTime: '09:00' },
    ]);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.index).sort()).toEqual([2]);
  });

  it('opens check-in 30 minutes before a session and closes it at its end', () => {
    const session = {
      startsAt: new Date('2026-04-01T01:00:00Z'),
      endsAt: new Date('2026-04-01T04:00:00Z'),
    };
    expect(isCheckInOpen(session, new Date('2026-04-01T00:29:59Z'))).toBe(false);
    expect(isCheckInOpen(session, new Date('2026-04-01T00:30:00Z'))).toBe(true);
    expect(isCheckInOpen(session, new Date('2026-04-01T04:00:00Z'))).toBe(true);
    expect(isCheckInOpen(session, new Date('2026-04-01T04:00:01Z'))).toBe(false);
  });
});

describe('attended hours', () => {
  const session = {
    startsAt: new Date('2026-04-01T01:00:00Z'),
    endsAt: new Date('2026-04-01T04:00:00Z'),
  };

  it('credits the time between check-in and check-out inside the session', () => {
    expect(
      creditedMinutes(session, {
        checkedInAt: new Date('2026-04-01T00:45:00Z'),
        checkedOutAt: new Date('2026-04-01T04:20:00Z'),
      }),
    ).toBe(180);
    expect(
      creditedMinutes(session, {
        checkedInAt: new Date('2026-04-01T02:00:00Z'),
        checkedOutAt: new Date('2026-04-01T03:30:00Z'),
      }),
    ).toBe(90);
  });

  it('credits nothing for a check-in without a check-out', () => {
    expect(creditedMinutes(session, { checkedInAt: session.startsAt, checkedOutAt: null })).toBe(0);
  });

  it('requires the threshold share of offline plus online minutes, rounded up', () => {
    expect(
      requiredMinutes({ offlineMinutes: 600, onlineMinutes: 0, attendanceThresholdPercent: 80 }),
    ).toBe(480);
    expect(
      requiredMinutes({ offlineMinutes: 100, onlineMinutes: 1, attendanceThresholdPercent: 80 }),
    ).toBe(81);
  });
});

describe('the rotating session QR', () => {
  const now = new Date('2026-04-01T01:10:15Z');

  it('accepts the current and the previous 30-second step', () => {
    const step = qrStep(now);
    for (const s of [step, step - 1]) {
      const token = signQrToken(KEY, CLASS, SESSION, s);
      expect(verifyQrToken(KEY, token, { classId: CLASS, sessionId: SESSION }, now)).toEqual({
        ok: true,
      });
    }
  });

  it('refuses a token two steps old, or from the future', () => {
    const step = qrStep(now);
    for (const s of [step - 2, step + 1]) {
      const token = signQrToken(KEY, CLASS, SESSION, s);
      expect(verifyQrToken(KEY, token, { classId: CLASS, sessionId: SESSION }, now)).toEqual({
        ok: false,
        reason: 'stale',
      });
    }
  });

  it('refuses a token of another session, another key, or tampered with', () => {
    const step = qrStep(now);
    const other = signQrToken(KEY, CLASS, OTHER_SESSION, step);
    expect(verifyQrToken(KEY, other, { classId: CLASS, sessionId: SESSION }, now)).toEqual({
      ok: false,
      reason: 'foreign',
    });
    const foreignKey = signQrToken(Buffer.alloc(32, 8), CLASS, SESSION, step);
    expect(verifyQrToken(KEY, foreignKey, { classId: CLASS, sessionId: SESSION }, now)).toEqual({
      ok: false,
      reason: 'forged',
    });
    const swapped = signQrToken(KEY, CLASS, SESSION, step).replace(SESSION, OTHER_SESSION);
    expect(verifyQrToken(KEY, swapped, { classId: CLASS, sessionId: OTHER_SESSION }, now).ok).toBe(
      false,
    );
    expect(verifyQrToken(KEY, 'nonsense', { classId: CLASS, sessionId: SESSION }, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('who sees a class', () => {
  const cls = { organisationId: 'org-1', regionCode: '411403', unitId: 'A1-01' };
  it('follows the scope: institution, county, unit, city, trainee', () => {
    expect(canSeeClass({ kind: 'city' }, cls, false)).toBe(true);
    expect(canSeeClass({ kind: 'region', regionCode: '411403' }, cls, false)).toBe(true);
    expect(canSeeClass({ kind: 'region', regionCode: '411402' }, cls, false)).toBe(false);
    expect(canSeeClass({ kind: 'organisation', organisationId: 'org-2' }, cls, false)).toBe(false);
    expect(canSeeClass({ kind: 'unit', unitId: 'A1-01' }, cls, false)).toBe(true);
    expect(canSeeClass({ kind: 'person', personId: 'p' }, cls, true)).toBe(true);
    expect(canSeeClass({ kind: 'person', personId: 'p' }, cls, false)).toBe(false);
  });
});
