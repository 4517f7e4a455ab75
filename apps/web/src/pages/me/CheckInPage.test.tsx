// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';
import { formatDateTime } from '../../format';
import { checkInTarget } from './CheckInPage';

const CLASS_ID = '01a22256-cccc-7267-86fe-cdd2f59e4c8d';
const SESSION_ID = '01a22256-dddd-7267-86fe-cdd2f59e4c8d';
const PERSON_ID = '01a22256-abf9-7512-b4f1-1c6c4a41ad55';

const worker: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: '13812341234',
  displayName: '孙丽',
  role: 'worker',
  scope: { kind: 'person', personId: PERSON_ID },
  permissions: ['persons.read', 'classes.read', 'classes.attend', 'attendance.check'],
  mustChangePassword: false,
};

function checkInApi(answer: 'ok' | 'stale'): Handle {
  return ({ method, url }) => {
    if (url.pathname === '/api/auth/me') return json(worker);
    if (
      method === 'POST' &&
      url.pathname === `/api/classes/${CLASS_ID}/sessions/${SESSION_ID}/checkins`
    ) {
      if (answer === 'stale') {
        return problem(409, 'QR_TOKEN_INVALID', 'The QR token has expired; scan the code again');
      }
      return json(
        {
          id: '01a22256-ffff-7267-86fe-cdd2f59e4c8d',
          classId: CLASS_ID,
          sessionId: SESSION_ID,
          personId: PERSON_ID,
          checkedInAt: '2026-11-28T00:35:00.000Z',
          checkInMethod: 'qr',
          checkInPlace: null,
          checkedOutAt: null,
          checkOutMethod: null,
          checkOutPlace: null,
        },
        201,
      );
    }
    return undefined;
  };
}

const link = `/me/check-in?class=${CLASS_ID}&session=${SESSION_ID}&token=tok.en`;

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('checking in from the scanned link', () => {
  it('posts the scanned token once and says the check-in worked', async () => {
    const sent = serve(checkInApi('ok'));
    renderAt(link);
    expect(await screen.findByText('签到成功')).toBeTruthy();
    const posts = sent.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toEqual({ method: 'qr', token: 'tok.en' });
  }, 60_000);

  it('asks to scan again when the code has expired', async () => {
    serve(checkInApi('stale'));
    renderAt(link);
    expect(await screen.findByText('签到未成功')).toBeTruthy();
    expect(screen.getByText('签到码已过期或无效，请重新扫描。')).toBeTruthy();
  }, 60_000);

  it('reads class, session and token from the link, and refuses an incomplete one', () => {
    expect(checkInTarget(new URLSearchParams(link.split('?')[1]))).toEqual({
      classId: CLASS_ID,
      sessionId: SESSION_ID,
      token: 'tok.en',
    });
    expect(checkInTarget(new URLSearchParams(`class=${CLASS_ID}&token=x`))).toBeNull();
  });
});

const CHECKED_IN_AT = '2026-11-28T00:35:00.000Z';
const CHECKED_OUT_AT = '2026-11-28T04:02:00.000Z';

/** A trainee already checked in: check-in refused with `inCode`, check-out answering `out`. */
function checkOutApi(
  inCode: string,
  out: 'ok' | 'stale',
  checkedOutAt: string | null = null,
): Handle {
  const attendance = {
    id: '01a22256-ffff-7267-86fe-cdd2f59e4c8d',
    classId: CLASS_ID,
    sessionId: SESSION_ID,
    personId: PERSON_ID,
    checkedInAt: CHECKED_IN_AT,
    checkInMethod: 'qr',
    checkInPlace: null,
    checkedOutAt,
    checkOutMethod: checkedOutAt ? 'qr' : null,
    checkOutPlace: null,
  };
  const base = `/api/classes/${CLASS_ID}/sessions/${SESSION_ID}`;
  return ({ method, url }) => {
    if (url.pathname === '/api/auth/me') return json(worker);
    if (url.pathname === '/api/me/classes') {
      return json({
        items: [
          {
            id: CLASS_ID,
            sessions: [{ id: SESSION_ID, attendance: { ...attendance, creditedHours: 3 } }],
          },
        ],
      });
    }
    if (method === 'POST' && url.pathname === `${base}/checkins`) {
      return problem(409, inCode, 'refused');
    }
    if (method === 'POST' && url.pathname === `${base}/checkouts`) {
      if (out === 'stale') {
        return problem(409, 'QR_TOKEN_INVALID', 'The QR token has expired; scan the code again');
      }
      return json({ ...attendance, checkedOutAt: CHECKED_OUT_AT, checkOutMethod: 'qr' });
    }
    return undefined;
  };
}

describe('checking out from the scanned link', () => {
  it('offers 签退 to a trainee already checked in and posts the same token', async () => {
    const sent = serve(checkOutApi('ALREADY_CHECKED_IN', 'ok'));
    renderAt(link);
    expect(await screen.findByText('这次课已经签到过了')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: /^签\s?退$/ }));
    expect(await screen.findByText('签退成功')).toBeTruthy();
    expect(screen.getByText(`签退时间 ${formatDateTime(CHECKED_OUT_AT, true)}`)).toBeTruthy();
    const outs = sent.filter((r) => r.method === 'POST' && r.path.endsWith('/checkouts'));
    expect(outs).toHaveLength(1);
    expect(outs[0]?.body).toEqual({ method: 'qr', token: 'tok.en' });
  }, 60_000);

  it('offers 签退 after the session ended, when check-in is closed but the trainee is in', async () => {
    serve(checkOutApi('SESSION_NOT_RUNNING', 'ok'));
    renderAt(link);
    expect(
      await screen.findByText(
        `签到时间 ${formatDateTime(CHECKED_IN_AT, true)}。下课时可在此签退。`,
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /^签\s?退$/ }));
    expect(await screen.findByText('签退成功')).toBeTruthy();
  }, 60_000);

  it('asks to scan again when the token went stale, without a retry button', async () => {
    serve(checkOutApi('ALREADY_CHECKED_IN', 'stale'));
    renderAt(link);
    fireEvent.click(await screen.findByRole('button', { name: /^签\s?退$/ }));
    expect(await screen.findByText('签退未成功')).toBeTruthy();
    expect(screen.getByText('二维码已更新，请重新扫描教室屏幕上的二维码后再签退。')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^签\s?退$/ })).toBeNull();
  }, 60_000);

  it('says when the trainee already checked out, without offering it again', async () => {
    serve(checkOutApi('ALREADY_CHECKED_IN', 'ok', CHECKED_OUT_AT));
    renderAt(link);
    expect(
      await screen.findByText(`这次课已于 ${formatDateTime(CHECKED_OUT_AT, true)} 签退。`),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^签\s?退$/ })).toBeNull();
  }, 60_000);
});
