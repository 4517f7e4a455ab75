// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, Voucher } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve, type Handle } from '../../test/fakeServer';

const worker: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: '13812341234',
  displayName: '孙丽',
  role: 'worker',
  scope: { kind: 'person', personId: '01a22256-abf9-7512-b4f1-1c6c4a41ad55' },
  permissions: ['persons.read', 'vouchers.read', 'vouchers.hold'],
  mustChangePassword: false,
};

const voucher: Voucher = {
  id: '01a22256-bbbb-7267-86fe-cdd2f59e4c8d',
  number: 'SQ2600000018',
  personId: '01a22256-abf9-7512-b4f1-1c6c4a41ad55',
  holderName: '孙丽',
  holderIdNumberMasked: '411403********0027',
  occupationCode: '4-10-01-01',
  occupationLevel: 4,
  occupationName: '婴幼儿发展引导员',
  valueFen: 100_000,
  validFrom: '2026-11-28',
  validTo: '2027-12-31',
  state: 'issued',
  classId: null,
  organisationId: null,
  subsidyStandardFen: null,
  amountPayableFen: null,
  boundAt: null,
  pendingBinding: {
    classId: '01a22256-cccc-7267-86fe-cdd2f59e4c8d',
    requestedAt: '2026-11-28T14:00:00.000Z',
    flaggedAt: null,
    flagReason: null,
  },
  regionCode: '411403',
  source: 'issued',
  batchId: null,
  version: 1,
  createdAt: '2026-11-28T13:00:00.000Z',
  updatedAt: '2026-11-28T13:00:00.000Z',
};

const TOKEN = 'v1.eyJ2IjoiMDFhMjIyNTYifQ.c2lnbmF0dXJl';

function holderApi(): Handle {
  return ({ method, url }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(worker);
    if (method === 'GET' && path === '/api/vouchers') {
      return json({ items: [voucher], total: 1, page: 1, pageSize: 100 });
    }
    if (method === 'GET' && path === `/api/me/vouchers/${voucher.id}/qr`) {
      return json({
        token: TOKEN,
        expiresAt: '2026-11-28T14:01:00.000Z',
        voucherNumber: voucher.number,
      });
    }
    if (method === 'POST' && path === `/api/vouchers/${voucher.id}/confirm-binding`) {
      return json({ ...voucher, state: 'bound', pendingBinding: null });
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

describe('my vouchers', () => {
  it('shows a voucher’s QR token and confirms a pending binding', async () => {
    const sent = serve(holderApi());
    renderAt('/me/vouchers');
    expect(await screen.findByText('婴幼儿发展引导员')).toBeTruthy();
    expect(screen.getByText('SQ2600000018')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /出示二维码/ }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText(TOKEN)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /确认绑定/ }));
    expect(await screen.findByText('已确认绑定')).toBeTruthy();
    await waitFor(() =>
      expect(
        sent.some(
          (r) => r.method === 'POST' && r.path === `/api/vouchers/${voucher.id}/confirm-binding`,
        ),
      ).toBe(true),
    );
  }, 60_000);
});
