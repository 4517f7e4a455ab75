// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve, type Handle } from '../../test/fakeServer';
import { cityAdmin, REPORT, REPORT_SUMMARY } from './statisticsFixtures';

const GENERATED_ID = '01a22256-7e71-7267-86fe-cdd2f59e4c8d';

const reportsApi: Handle = ({ method, url }) => {
  if (url.pathname === '/api/auth/me') return json(cityAdmin);
  if (method === 'GET' && url.pathname === '/api/reports') {
    return json({ items: [REPORT_SUMMARY], total: 1, page: 1, pageSize: 20 });
  }
  if (method === 'GET' && url.pathname === `/api/reports/${REPORT.id}`) return json(REPORT);
  if (method === 'GET' && url.pathname === `/api/reports/${GENERATED_ID}`) {
    return json({ ...REPORT, id: GENERATED_ID, trigger: 'request' });
  }
  if (method === 'POST' && url.pathname === '/api/reports') {
    return json({ ...REPORT, id: GENERATED_ID, trigger: 'request' }, 201);
  }
  return undefined;
};

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the reports page', () => {
  it('lists reports and shows one as its tables, with totals and laggards marked', async () => {
    serve(reportsApi);
    renderAt('/reports');
    const row = (await screen.findByText(REPORT_SUMMARY.title)).closest('tr') as HTMLElement;
    expect(within(row).getByText('周调度')).toBeTruthy();
    expect(within(row).getByText('2026-03-23 ~ 2026-03-29')).toBeTruthy();
    expect(within(row).getByText('定时生成')).toBeTruthy();
    expect(
      within(row)
        .getByRole('link', { name: `下载${REPORT_SUMMARY.title}` })
        .getAttribute('href'),
    ).toBe(`/api/reports/${REPORT.id}/download`);

    fireEvent.click(within(row).getByRole('button', { name: REPORT_SUMMARY.title }));
    const counties = await screen.findByTestId('report-annex1');
    const liangyuan = within(counties).getByText('梁园区').closest('tr') as HTMLElement;
    const yongcheng = within(counties).getByText('永城市').closest('tr') as HTMLElement;
    // Laggards highlighted (a weekly table), the others not.
    expect(liangyuan.style.background).not.toBe('');
    expect(yongcheng.style.background).toBe('');
    expect(within(yongcheng).getByText('9,100')).toBeTruthy();
    // Targets in 万 (the fixture gives each measure the same one).
    expect(within(yongcheng).getAllByText('3.5')).toHaveLength(3);
    // Each annex has its own 合计 row; the page says they are not to be added together.
    const total = within(counties).getByText('合计').closest('tr') as HTMLElement;
    expect(within(total).getByText('13,300')).toBeTruthy();
    expect(within(total).getAllByText('5.4')).toHaveLength(3);
    expect(within(total).getByText('24.6%')).toBeTruthy();
    expect(within(screen.getByTestId('report-annex2')).getByText('合计')).toBeTruthy();
    expect(screen.getByText(/两表合计不可相加/)).toBeTruthy();
    expect(screen.getByRole('link', { name: /下载 Excel/ }).getAttribute('href')).toBe(
      `/api/reports/${REPORT.id}/download`,
    );
  }, 60_000);

  it('generates a report of a kind with an Idempotency-Key and opens it', async () => {
    const sent = serve(reportsApi);
    const keys: (string | null)[] = [];
    const fetchStub = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: Request) => {
      if (input.method === 'POST') keys.push(input.headers.get('Idempotency-Key'));
      return fetchStub(input);
    });
    const { router } = renderAt('/reports');
    fireEvent.click(await screen.findByRole('button', { name: /生成报表/ }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: /生\s*成/ }));
    await waitFor(() =>
      expect(sent.filter((r) => r.method === 'POST')).toEqual([
        { method: 'POST', path: '/api/reports', body: { kind: 'weekly' } },
      ]),
    );
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => expect(router.state.location.search).toBe(`?report=${GENERATED_ID}`));
    expect(await screen.findByTestId('report-annex1')).toBeTruthy();
  }, 60_000);
});
