// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Attendance, ClassDetail, Me, Trainee, Voucher, VoucherLookup } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const ORG = '01a22256-1111-7267-86fe-cdd2f59e4c8d';
const CLASS_ID = '01a22256-cccc-7267-86fe-cdd2f59e4c8d';
const SESSION_ID = '01a22256-dddd-7267-86fe-cdd2f59e4c8d';
const PERSON_ID = '01a22256-abf9-7512-b4f1-1c6c4a41ad55';
/** apps/api/test/fixtures/sensitive.ts FIXTURE_ID_NUMBERS[7]. */
const ID_NUMBER = '411471200501010014';
const MASKED = '411471********0014';
const TOKEN = 'v1.eyJ2IjoiMDFhMjIyNTYifQ.c2lnbmF0dXJl';

const staff: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'peixun',
  displayName: '培训机构',
  role: 'training_staff',
  scope: { kind: 'organisation', organisationId: ORG },
  permissions: [
    'classes.read',
    'classes.file',
    'classes.train',
    'vouchers.bind',
    'attendance.check',
  ],
  mustChangePassword: false,
};

const cls: ClassDetail = {
  id: CLASS_ID,
  organisationId: ORG,
  name: '育婴员第 1 期',
  occupationCode: '4-10-01-02',
  skillLevelKey: 'level4',
  planNo: 3,
  unitId: 'U07',
  trainingType: 'pre_job',
  regionCode: '411402',
  address: '梁园区南京路 1 号',
  capacity: 30,
  enrolled: 0,
  offlineHours: 3.5,
  onlineHours: 0,
  subsidyStandardFen: 120_000,
  attendanceThresholdPercent: 80,
  requiredHours: 2.8,
  state: 'approved',
  status: 'in_progress',
  returnReason: null,
  startsAt: '2026-11-28T00:30:00.000Z',
  endsAt: '2026-11-28T04:00:00.000Z',
  submittedAt: '2026-11-20T00:00:00.000Z',
  decidedAt: '2026-11-21T00:00:00.000Z',
  createdAt: '2026-11-20T00:00:00.000Z',
  updatedAt: '2026-11-21T00:00:00.000Z',
  sessions: [
    {
      id: SESSION_ID,
      seq: 1,
      date: '2026-11-28',
      startTime: '08:30',
      endTime: '12:00',
      startsAt: '2026-11-28T00:30:00.000Z',
      endsAt: '2026-11-28T04:00:00.000Z',
      hours: 3.5,
    },
  ],
};

const voucher: Voucher = {
  id: '01a22256-bbbb-7267-86fe-cdd2f59e4c8d',
  number: 'SQ2600000018',
  personId: PERSON_ID,
  holderName: '孙丽',
  holderIdNumberMasked: MASKED,
  occupationCode: '4-10-01-02',
  occupationLevel: 4,
  occupationName: '育婴员',
  valueFen: 100_000,
  validFrom: '2026-11-01',
  validTo: '2027-12-31',
  state: 'issued',
  classId: null,
  organisationId: null,
  subsidyStandardFen: null,
  amountPayableFen: null,
  boundAt: null,
  pendingBinding: null,
  regionCode: '411402',
  source: 'issued',
  batchId: null,
  version: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

const trainee: Trainee = {
  id: '01a22256-eeee-7267-86fe-cdd2f59e4c8d',
  personId: PERSON_ID,
  name: '孙丽',
  idNumber: MASKED,
  voucherId: voucher.id,
  enrolledAt: '2026-11-28T00:00:00.000Z',
  onlineHours: 0,
  attendedHours: 1,
  requiredHours: 2.8,
  completionResult: null,
  completionScore: null,
  completionNote: null,
  completedAt: null,
};

const found: VoucherLookup = {
  voucher,
  holder: { name: '孙丽', idNumberMasked: MASKED },
  bindable: true,
  reason: null,
  reasonMessage: null,
};

function classApi(options: { trainees?: Trainee[]; attendance?: Attendance[] } = {}): Handle {
  return ({ method, url, body }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(staff);
    if (path === '/api/regions') return json({ items: [] });
    if (method === 'GET' && path === `/api/classes/${CLASS_ID}`) return json(cls);
    if (method === 'GET' && path === `/api/classes/${CLASS_ID}/trainees`) {
      return json({ items: options.trainees ?? [] });
    }
    if (method === 'GET' && path === `/api/classes/${CLASS_ID}/sessions/${SESSION_ID}/attendance`) {
      return json({ items: options.attendance ?? [] });
    }
    if (method === 'POST' && path === '/api/vouchers/lookup') {
      const proof = body as { token?: string; idNumber?: string };
      if (proof.token === 'stale') {
        return problem(409, 'VOUCHER_TOKEN_INVALID', 'The voucher QR token has expired');
      }
      return json(found);
    }
    if (method === 'POST' && path === `/api/vouchers/${voucher.id}/bind`) {
      const pending = (body as { idNumber?: string }).idNumber !== undefined;
      return json(
        {
          pending,
          holder: found.holder,
          voucher: { ...voucher, state: pending ? 'issued' : 'bound' },
        },
        pending ? 202 : 200,
      );
    }
    if (method === 'POST' && path === `/api/classes/${CLASS_ID}/sessions/${SESSION_ID}/checkins`) {
      return json(
        {
          id: '01a22256-ffff-7267-86fe-cdd2f59e4c8d',
          classId: CLASS_ID,
          sessionId: SESSION_ID,
          personId: PERSON_ID,
          checkedInAt: '2026-11-28T00:35:00.000Z',
          checkInMethod: 'manual',
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

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function openBinding() {
  renderAt(`/classes/${CLASS_ID}`);
  expect(await screen.findByText('育婴员第 1 期')).toBeTruthy();
  fireEvent.click(screen.getByRole('tab', { name: '学员名单' }));
  fireEvent.click(await screen.findByRole('button', { name: /绑定培训券/ }));
  return screen.findByRole('dialog');
}

describe('binding a voucher to a class', () => {
  it('looks the holder up by QR token, shows name and masked ID, and binds at once', async () => {
    const sent = serve(classApi());
    const dialog = await openBinding();
    fireEvent.change(within(dialog).getByLabelText('二维码内容'), { target: { value: TOKEN } });
    fireEvent.click(within(dialog).getByRole('button', { name: /查\s*询/ }));
    expect(await within(dialog).findByText(`孙丽（${MASKED}）`)).toBeTruthy();
    expect(within(dialog).getByText('SQ2600000018')).toBeTruthy();
    expect(within(dialog).getByText('可以绑定')).toBeTruthy();

    fireEvent.click(within(dialog).getByRole('button', { name: /确认绑定/ }));
    expect(await screen.findByText('已绑定，孙丽 已报名本班')).toBeTruthy();
    const bind = sent.find((r) => r.path === `/api/vouchers/${voucher.id}/bind`);
    expect(bind?.body).toEqual({ classId: CLASS_ID, token: TOKEN });
    expect(sent.find((r) => r.path === '/api/vouchers/lookup')?.body).toEqual({
      classId: CLASS_ID,
      token: TOKEN,
    });
  }, 60_000);

  it('binds by ID number as a request the holder must confirm (202)', async () => {
    const sent = serve(classApi());
    const dialog = await openBinding();
    fireEvent.click(within(dialog).getByText('输入身份证号'));
    fireEvent.change(within(dialog).getByLabelText('持券人身份证号'), {
      target: { value: ` ${ID_NUMBER.toLowerCase()} ` },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: /查\s*询/ }));
    expect(await within(dialog).findByText(`孙丽（${MASKED}）`)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: /确认绑定/ }));
    expect(await screen.findByText('已发起绑定，等待持券人在手机上确认')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const bind = sent.find((r) => r.path === `/api/vouchers/${voucher.id}/bind`);
    expect(bind?.body).toEqual({ classId: CLASS_ID, idNumber: ID_NUMBER });
    expect(document.body.innerHTML).not.toContain(ID_NUMBER);
  }, 60_000);

  it('says in Chinese when the holder’s QR code has expired, and offers no binding', async () => {
    serve(classApi());
    const dialog = await openBinding();
    fireEvent.change(within(dialog).getByLabelText('二维码内容'), { target: { value: 'stale' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /查\s*询/ }));
    expect(
      await within(dialog).findByText('培训券二维码已过期或无效，请持券人刷新后重新扫描。'),
    ).toBeTruthy();
    const confirm = within(dialog).getByRole('button', { name: /确认绑定/ });
    expect(confirm.hasAttribute('disabled')).toBe(true);
  }, 60_000);

  it('records a manual check-in on the attendance sheet, with its reason', async () => {
    const sent = serve(classApi({ trainees: [trainee] }));
    renderAt(`/classes/${CLASS_ID}`);
    fireEvent.click(await screen.findByRole('button', { name: /签到表/ }));
    const sheet = await screen.findByRole('dialog');
    expect(await within(sheet).findByText('未签到')).toBeTruthy();
    fireEvent.click(within(sheet).getByRole('button', { name: /补签到/ }));
    const modal = (await screen.findAllByRole('dialog')).at(-1);
    if (!modal) throw new Error('no reason dialog');
    fireEvent.change(within(modal).getByLabelText('原因（必填）'), {
      target: { value: '手机没电' },
    });
    fireEvent.click(within(modal).getByRole('button', { name: /确\s*定|OK/ }));
    expect(await screen.findByText('已记录')).toBeTruthy();
    const checkIn = sent.find((r) => r.path.endsWith('/checkins'));
    expect(checkIn?.body).toEqual({ method: 'manual', personId: PERSON_ID, reason: '手机没电' });
  }, 60_000);
});
