// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, Region } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve, type Handle } from '../../test/fakeServer';

const cityAdmin: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'admin',
  displayName: '系统管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['vouchers.read', 'vouchers.issue', 'persons.read'],
  mustChangePassword: false,
};

const county = (code: string, name: string): Region => ({
  code,
  name,
  level: 3,
  levelName: 'county',
  parentCode: '411400',
  statisticsOnly: false,
  isLocalUnit: false,
  hasChildren: true,
});

function vouchersApi(): Handle {
  return ({ method, url, body }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(cityAdmin);
    if (path === '/api/regions') {
      return json({ items: [county('411402', '梁园区'), county('411403', '睢阳区')] });
    }
    if (path === '/api/key-groups') return json({ items: [] });
    if (path === '/api/occupations') {
      return json({
        items: [{ code: '4-10-01-02', name: '育婴员', level: 4 }],
        total: 1,
        page: 1,
        pageSize: 20,
      });
    }
    if (method === 'GET' && path === '/api/vouchers') {
      return json({ items: [], total: 0, page: 1, pageSize: 20 });
    }
    if (method === 'POST' && path === '/api/vouchers/batch') {
      const { preview } = body as { preview: boolean };
      return json({
        preview,
        count: 3,
        issued: preview ? 0 : 3,
        batchId: preview ? null : '01a22256-aaaa-7267-86fe-cdd2f59e4c8d',
        sample: [{ name: '孙丽', idNumberMasked: '411403********0027' }],
      });
    }
    return undefined;
  };
}

async function choose(container: HTMLElement, label: string, option: string) {
  fireEvent.mouseDown(await within(container).findByLabelText(label));
  const options = await screen.findAllByTitle(option);
  fireEvent.click(options[options.length - 1] as HTMLElement);
}

function setDate(container: HTMLElement, label: string, value: string) {
  const input = within(container).getByLabelText(label);
  fireEvent.mouseDown(input);
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
}

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('batch issue', () => {
  it('shows the preview count before anything is issued, and issues what was counted', async () => {
    const sent = serve(vouchersApi());
    renderAt('/vouchers');
    fireEvent.click(await screen.findByRole('button', { name: /批量发放/ }));
    const dialog = await screen.findByRole('dialog');

    await choose(dialog, '区县', '睢阳区');
    await choose(dialog, '职业（工种）', '4-10-01-02 育婴员');
    fireEvent.change(within(dialog).getByLabelText('面额（元）'), { target: { value: '1000' } });
    setDate(dialog, '有效期至', '2027-12-31');

    const confirm = () =>
      within(dialog).getByRole<HTMLButtonElement>('button', { name: /确认发放/ });
    expect(confirm().disabled).toBe(true);

    fireEvent.click(within(dialog).getByRole('button', { name: '预览人数' }));
    expect(
      await within(dialog).findByText('符合条件且尚无该职业有效培训券的人员：3 人'),
    ).toBeTruthy();
    expect(within(dialog).getByText(/孙丽（411403\*{8}0027）/)).toBeTruthy();

    const previews = sent.filter((r) => r.method === 'POST' && r.path === '/api/vouchers/batch');
    expect(previews).toHaveLength(1);
    expect(previews[0]?.body).toEqual({
      filter: { regionCode: '411403' },
      occupationCode: '4-10-01-02',
      occupationLevel: 4,
      valueFen: 100_000,
      validTo: '2027-12-31',
      preview: true,
    });

    await waitFor(() => expect(confirm().disabled).toBe(false));
    expect(confirm().textContent).toContain('3');
    fireEvent.click(confirm());

    expect(await screen.findByText('已发放 3 张培训券')).toBeTruthy();
    const batches = sent.filter((r) => r.method === 'POST' && r.path === '/api/vouchers/batch');
    expect(batches).toHaveLength(2);
    expect(batches[1]?.body).toEqual({ ...(previews[0]?.body as object), preview: false });
  }, 60_000);

  it('throws the preview away when the terms change', async () => {
    serve(vouchersApi());
    renderAt('/vouchers');
    fireEvent.click(await screen.findByRole('button', { name: /批量发放/ }));
    const dialog = await screen.findByRole('dialog');
    await choose(dialog, '职业（工种）', '4-10-01-02 育婴员');
    fireEvent.change(within(dialog).getByLabelText('面额（元）'), { target: { value: '1000' } });
    setDate(dialog, '有效期至', '2027-12-31');
    fireEvent.click(within(dialog).getByRole('button', { name: '预览人数' }));
    await within(dialog).findByText(/3 人/);

    fireEvent.change(within(dialog).getByLabelText('面额（元）'), { target: { value: '800' } });
    await waitFor(() =>
      expect(
        within(dialog).getByRole<HTMLButtonElement>('button', { name: /确认发放/ }).disabled,
      ).toBe(true),
    );
    expect(within(dialog).queryByText(/3 人/)).toBeNull();
  }, 60_000);
});
