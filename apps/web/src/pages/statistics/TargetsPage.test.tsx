// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve, type Handle } from '../../test/fakeServer';
import { shanghaiYear } from './statisticsFormat';
import { cityAdmin, financeReader, PROGRESS, RECORDS, recordQueries } from './statisticsFixtures';

function statisticsApi(me: Me = cityAdmin): Handle {
  return ({ url }) => {
    if (url.pathname === '/api/auth/me') return json(me);
    if (url.pathname === '/api/targets/progress') return json(PROGRESS);
    if (url.pathname === '/api/statistics/records') return json(RECORDS);
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

/** The card whose title is `title` (its tables and figures). */
async function card(title: string): Promise<HTMLElement> {
  const heading = await screen.findByText(title, { selector: '.ant-card-head-title' });
  return heading.closest('.ant-card') as HTMLElement;
}

const rowNames = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .filter((row) => row.classList.contains('ant-table-row'))
    .map((row) => row.querySelectorAll('td')[1]?.textContent);

describe('the targets and progress page', () => {
  it('shows counties and departments in two tables, in annex order, never summed', async () => {
    const sent = serve(statisticsApi());
    renderAt('/targets');
    const counties = await card('附件1 各县（市、区）');
    const departments = await card('附件2 市直各部门');
    expect(rowNames(counties)).toEqual(['梁园区', '永城市']);
    // Annex-2 departments by their number; units outside the annex at the end.
    expect(rowNames(departments)).toEqual([
      '市教育体育局',
      '市人力资源社会保障局',
      '市技师学院附件外',
    ]);
    // No combined total of the two annexes anywhere, and the page says why.
    expect(within(counties).queryByText(/合计/)).toBeNull();
    expect(within(departments).queryByText(/合计/)).toBeNull();
    expect(screen.getAllByText(/合计/).map((element) => element.textContent)).toEqual([
      '附件1（县区）与附件2（市直部门）按不同口径归属，同一人可能同时计入县区和部门：两表合计不可相加。',
    ]);

    // Targets in 万 as the annex prints them; actuals in person-times; status against time.
    const yongcheng = within(counties).getByText('永城市').closest('tr') as HTMLElement;
    expect(within(yongcheng).getAllByText('3.5')).toHaveLength(1);
    expect(within(yongcheng).getByText('2.5')).toBeTruthy();
    expect(within(yongcheng).getByText('9,100')).toBeTruthy();
    expect(within(yongcheng).getByText('26.0%')).toBeTruthy();
    expect(within(yongcheng).getByText('超进度')).toBeTruthy();
    expect(within(yongcheng).getAllByText('滞后')).toHaveLength(2);
    expect(screen.getByText('数据截至 2026-03-31，全年时间进度 24.7%')).toBeTruthy();

    // The year asked for is this year (Shanghai) by default.
    expect(sent.find((r) => r.path.startsWith('/api/targets/progress'))?.path).toBe(
      `/api/targets/progress?year=${shanghaiYear()}`,
    );
    // The plans and the 2025 goals.
    const plans = await card('十二项技能提升计划');
    expect(rowNames(plans)).toEqual([
      '先进制造业和战略性新兴产业技能提升计划',
      '康养托育技能提升计划培训即取证',
    ]);
    expect(await card('2025年目标（2022年以来累计）')).toBeTruthy();
  }, 60_000);

  it('opens the records behind a county, a department, a plan and the city', async () => {
    const sent = serve(statisticsApi());
    renderAt('/targets?year=2025');

    fireEvent.click(await screen.findByRole('button', { name: '查看永城市职业技能培训记录' }));
    const drawer = await screen.findByRole('dialog');
    expect(within(drawer).getByText('永城市 · 职业技能培训（2025年）')).toBeTruthy();
    expect(await within(drawer).findByText('张三')).toBeTruthy();
    expect(within(drawer).getByText('411481********0031')).toBeTruthy();
    expect(within(drawer).getByText('单位填报')).toBeTruthy();
    expect(within(drawer).getByText('四级/中级工')).toBeTruthy();
    expect(within(drawer).getByText('计划1')).toBeTruthy();

    fireEvent.click(
      screen.getByRole('button', { name: '查看市人力资源社会保障局职业技能培训记录' }),
    );
    fireEvent.click(screen.getByRole('button', { name: '查看计划10职业技能培训记录' }));
    fireEvent.click(screen.getByRole('button', { name: '查看全市新增技能人才记录' }));
    fireEvent.click(screen.getByRole('button', { name: '查看未归属县区职业技能培训记录' }));
    await waitFor(() => expect(recordQueries(sent)).toHaveLength(5));
    expect(recordQueries(sent)).toEqual([
      { measure: 'training', year: '2025', countyUnitId: 'A1-04', page: '1', pageSize: '20' },
      { measure: 'training', year: '2025', unitId: 'A2-07', page: '1', pageSize: '20' },
      { measure: 'training', year: '2025', planNo: '10', page: '1', pageSize: '20' },
      { measure: 'skilled', year: '2025', page: '1', pageSize: '20' },
      { measure: 'training', year: '2025', unattributed: 'true', page: '1', pageSize: '20' },
    ]);
  }, 60_000);

  it('shows figures without links to an account that may not read the records', async () => {
    const sent = serve(statisticsApi(financeReader));
    renderAt('/targets');
    const counties = await card('附件1 各县（市、区）');
    expect(within(counties).getByText('9,100')).toBeTruthy();
    expect(screen.queryAllByRole('button', { name: /^查看/ })).toEqual([]);
    expect(recordQueries(sent)).toEqual([]);
  }, 60_000);

  it('says when a year has no targets yet, and where a city administrator enters them', async () => {
    const untargeted = {
      ...PROGRESS,
      units: PROGRESS.units.map((u) => ({ ...u, targetSource: null })),
    };
    serve(({ url }) => {
      if (url.pathname === '/api/auth/me') return json(cityAdmin);
      if (url.pathname === '/api/targets/progress') return json(untargeted);
      return undefined;
    });
    renderAt('/targets?year=2025');
    const notice = await screen.findByText(/2025年各责任单位目标尚未录入/);
    const alert = notice.closest('.ant-alert') as HTMLElement;
    expect(within(alert).getByRole('link', { name: '去录入目标' }).getAttribute('href')).toBe(
      '/targets/manage?year=2025',
    );
  }, 60_000);

  it('says nothing of missing targets when the year has them', async () => {
    serve(statisticsApi(financeReader));
    renderAt('/targets');
    await card('附件1 各县（市、区）');
    expect(screen.queryByText(/目标尚未录入/)).toBeNull();
  }, 60_000);
});
