// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve, type Handle } from '../../test/fakeServer';
import { annexUnits, funnelOption, progressOption } from './DashboardPage';
import { translate } from '../../i18n';
import { cityAdmin, PROGRESS, RECORDS, recordQueries, TREND } from './statisticsFixtures';

const dashboardApi: Handle = ({ url }) => {
  if (url.pathname === '/api/auth/me') return json(cityAdmin);
  if (url.pathname === '/api/targets/progress') return json(PROGRESS);
  if (url.pathname === '/api/statistics/trend') return json(TREND);
  if (url.pathname === '/api/statistics/records') return json(RECORDS);
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

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('zh-CN', key, params);

describe('the dashboard', () => {
  it('lays out the charts and the counties, and opens a county’s records', async () => {
    const sent = serve(dashboardApi);
    renderAt('/dashboard?year=2025');
    expect(await screen.findByRole('img', { name: '县（市、区）职业技能培训完成率' })).toBeTruthy();
    expect(await screen.findByRole('img', { name: '月度趋势' })).toBeTruthy();
    expect(await screen.findByRole('img', { name: '培训券漏斗' })).toBeTruthy();
    expect(screen.getByText('发放 120 → 绑定 90 → 结业 70 → 取证 50 → 兑付 40')).toBeTruthy();

    const yongcheng = screen.getByTestId('county-A1-04');
    expect(within(yongcheng).getByText('永城市')).toBeTruthy();
    expect(within(yongcheng).getByText('26.0%')).toBeTruthy();
    fireEvent.click(within(yongcheng).getByRole('button', { name: '查看永城市新增技能人才记录' }));
    const drawer = await screen.findByRole('dialog');
    expect(await within(drawer).findByText('张三')).toBeTruthy();
    await waitFor(() =>
      expect(recordQueries(sent)).toEqual([
        { measure: 'skilled', year: '2025', countyUnitId: 'A1-04', page: '1', pageSize: '20' },
      ]),
    );
    // Counties only in the glance: no department card.
    expect(screen.queryByTestId('county-A2-07')).toBeNull();
  }, 60_000);
});

describe('the dashboard charts', () => {
  it('draws progress bars per unit in annex order with a line at the year elapsed', () => {
    const departments = annexUnits(PROGRESS.units, 'departments');
    expect(departments.map((u) => u.name)).toEqual([
      '市教育体育局',
      '市人力资源社会保障局',
      '市技师学院',
    ]);
    const option = progressOption(departments, 'training', 0.2466, t);
    // Drawn bottom-up: reversed so the first unit is at the top.
    expect(option.yAxis).toMatchObject({
      data: ['市技师学院', '市人力资源社会保障局', '市教育体育局'],
      triggerEvent: true,
    });
    const [bars] = option.series as [{ data: { value: number; itemStyle: { color: string } }[] }];
    expect(bars.data.map((d) => d.value)).toEqual([0, 0, 25.1]);
    expect(bars.data.map((d) => d.itemStyle.color)).toEqual(['#ff4d4f', '#ff4d4f', '#52c41a']);
    expect(option.series).toMatchObject([{ markLine: { data: [{ xAxis: 24.7 }] } }]);
  });

  it('keeps the funnel in the voucher’s order', () => {
    expect(funnelOption(TREND.funnel, t).series).toMatchObject([
      {
        type: 'funnel',
        sort: 'none',
        data: [
          { name: '发放', value: 120 },
          { name: '绑定', value: 90 },
          { name: '结业', value: 70 },
          { name: '取证', value: 50 },
          { name: '兑付', value: 40 },
        ],
      },
    ]);
  });
});
