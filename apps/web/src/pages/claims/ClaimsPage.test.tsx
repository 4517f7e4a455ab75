// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, Voucher } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const ORG_ID = '01a22256-0000-7267-86fe-cdd2f59e4c8d';

const trainer: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'peixun',
  displayName: '培训学校教务',
  role: 'training_staff',
  scope: { kind: 'organisation', organisationId: ORG_ID },
  permissions: ['vouchers.read', 'vouchers.redeem', 'subsidies.read'],
  mustChangePassword: false,
};

const voucher = (id: string, number: string, holderName: string): Voucher =>
  ({
    id,
    number,
    holderName,
    holderIdNumberMasked: '411402********1234',
    occupationCode: '4-10-01-01',
    occupationName: '家政服务员',
    valueFen: 150_000,
    state: 'certified',
  }) as Voucher;

const CERTIFIED = voucher('01a22256-a001-7267-86fe-cdd2f59e4c8d', 'SQ2600000001', '张三明');
const REVOKED = voucher('01a22256-a002-7267-86fe-cdd2f59e4c8d', 'SQ2600000002', '李四');

function claimsApi(): Handle {
  return ({ method, url }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(trainer);
    if (method === 'GET' && path === '/api/subsidy-claims') {
      return json({ items: [], total: 0, page: 1, pageSize: 20 });
    }
    if (method === 'GET' && path === '/api/vouchers') {
      expect(url.searchParams.get('state')).toBe('certified');
      return json({ items: [CERTIFIED, REVOKED], total: 2, page: 1, pageSize: 100 });
    }
    if (method === 'POST' && path === `/api/vouchers/${CERTIFIED.id}/redeem`) {
      return json(
        {
          voucher: { ...CERTIFIED, state: 'redeemed' },
          claim: {
            id: '01a22256-c1a1-7267-86fe-cdd2f59e4c8d',
            number: 'BT2600000042',
            kind: 'training',
            status: 'submitted',
            payeeOrganisationId: ORG_ID,
            payeeName: '商丘市职业培训学校',
            personId: '01a22256-9999-7267-86fe-cdd2f59e4c8d',
            personName: '张三明',
            personIdNumberMasked: '411402********1234',
            amountFen: 120_000,
            voucherId: CERTIFIED.id,
            classId: null,
            certificateId: null,
            evidence: {},
            flagged: false,
            flaggedAt: null,
            flagReason: null,
            regionCode: '411402',
            createdAt: '2026-04-01T01:00:00.000Z',
            updatedAt: '2026-04-01T01:00:00.000Z',
          },
        },
        201,
      );
    }
    if (method === 'POST' && path === `/api/vouchers/${REVOKED.id}/redeem`) {
      return problem(409, 'CERTIFICATE_REVOKED', 'The certificate was revoked');
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

async function redeem(holder: string) {
  const row = (await screen.findByText(holder)).closest('tr') as HTMLElement;
  fireEvent.click(within(row).getByRole('button', { name: /申请兑现/ }));
  const confirm = await screen.findByRole('dialog');
  fireEvent.click(within(confirm).getByRole('button', { name: /申请兑现/ }));
}

describe('redeeming a certified voucher', () => {
  it('shows the claim made, with its number and amount in yuan', async () => {
    const sent = serve(claimsApi());
    renderAt('/claims?tab=redeem');
    await redeem('张三明');

    expect(await screen.findByText('BT2600000042')).toBeTruthy();
    expect(screen.getByText('1200.00 元')).toBeTruthy();
    expect(screen.getByText('商丘市职业培训学校')).toBeTruthy();
    const posts = sent.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path)).toEqual([`/api/vouchers/${CERTIFIED.id}/redeem`]);
  }, 30_000);

  it('says why a voucher whose certificate was revoked cannot be redeemed', async () => {
    serve(claimsApi());
    renderAt('/claims?tab=redeem');
    await redeem('李四');

    expect(await screen.findByText('相应证书已被撤销，不能兑现。')).toBeTruthy();
    expect(screen.queryByText('BT2600000042')).toBeNull();
  }, 30_000);
});
