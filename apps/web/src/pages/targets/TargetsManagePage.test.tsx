// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/types';
import type { Employed, Outcomes, YearTargets } from '../../api/targets';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve } from '../../test/fakeServer';
import { OutcomesCard } from './OutcomesCard';

const admin: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c11',
  username: 'admin',
  displayName: '市人社局管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['statistics.read', 'targets.manage'],
  mustChangePassword: false,
};

const year = Number(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(
    new Date(),
  ),
);

const TARGETS: YearTargets = {
  year,
  annexSource: '商政办〔2022〕9号 附件1/附件2',
  units: [
    {
      unitId: 'A1-01',
      annex: 1,
      seq: 1,
      name: '梁园区',
      kind: 'county',
      targets: { trainingPersonTimes: 19000, newSkilled: 15500, newHighSkilled: 4200 },
      source: '商政办〔2022〕9号 附件1/附件2',
      fromAnnex: true,
      updatedAt: null,
    },
    {
      unitId: 'A1-03',
      annex: 1,
      seq: 3,
      name: '城乡一体化示范区',
      kind: 'county',
      targets: { trainingPersonTimes: 4480, newSkilled: 3000, newHighSkilled: 125 },
      source: '商政办〔2023〕5号',
      fromAnnex: false,
      updatedAt: '2026-01-05T02:00:00.000Z',
    },
    {
      unitId: 'A2-07',
      annex: 2,
      seq: 7,
      name: '市人力资源社会保障局',
      kind: 'department',
      targets: null,
      source: null,
      fromAnnex: false,
      updatedAt: null,
    },
  ],
};

const EMPLOYED: Employed = {
  year,
  rows: [
    { unitId: null, name: '商丘市', persons: 4_000_000, source: '统计公报', updatedAt: null },
    { unitId: 'A1-01', name: '梁园区', persons: null, source: null, updatedAt: null },
  ],
};

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the targets management page', { timeout: 30_000 }, () => {
  it('fills empty fields from the previous year, leaving entered ones alone', async () => {
    const previous: YearTargets = {
      ...TARGETS,
      year: year - 1,
      units: TARGETS.units.map((u) =>
        u.unitId === 'A2-07'
          ? {
              ...u,
              targets: { trainingPersonTimes: 33000, newSkilled: 44000, newHighSkilled: 11000 },
            }
          : { ...u, targets: { trainingPersonTimes: 1, newSkilled: 1, newHighSkilled: 1 } },
      ),
    };
    serve(({ method, url }) => {
      if (url.pathname === '/api/auth/me') return json(admin);
      if (url.pathname === '/api/targets' && method === 'GET') {
        return json(url.searchParams.get('year') === String(year - 1) ? previous : TARGETS);
      }
      if (url.pathname === '/api/targets/employed') return json(EMPLOYED);
      return undefined;
    });
    renderAt(`/targets/manage?year=${year}`);
    await screen.findByLabelText('城乡一体化示范区 职业技能培训（万人次）');
    fireEvent.click(screen.getByRole('button', { name: `按${year - 1}年目标填入空白项` }));
    await waitFor(() =>
      expect(
        (screen.getByLabelText('市人力资源社会保障局 职业技能培训（万人次）') as HTMLInputElement)
          .value,
      ).toBe('3.3'),
    );
    expect(
      (screen.getByLabelText('市人力资源社会保障局 新增高技能人才（万人）') as HTMLInputElement)
        .value,
    ).toBe('1.1');
    // The 示范区 had its own targets and the annex row is fixed: neither is overwritten.
    expect(
      (screen.getByLabelText('城乡一体化示范区 职业技能培训（万人次）') as HTMLInputElement).value,
    ).toBe('0.448');
    expect((screen.getByLabelText('梁园区 职业技能培训（万人次）') as HTMLInputElement).value).toBe(
      '1.9',
    );
  });

  it('shows targets in 万, keeps annex rows read-only and saves edits in persons', async () => {
    const sent = serve(({ method, url }) => {
      if (url.pathname === '/api/auth/me') return json(admin);
      if (url.pathname === '/api/targets' && method === 'GET') return json(TARGETS);
      if (url.pathname === '/api/targets/employed') return json(EMPLOYED);
      if (method === 'PUT' && url.pathname.startsWith('/api/targets/')) return json(TARGETS);
      return undefined;
    });
    renderAt('/targets/manage');
    const training = await screen.findByLabelText('城乡一体化示范区 职业技能培训（万人次）');
    expect((training as HTMLInputElement).value).toBe('0.448');
    expect(screen.getByText('= 4,480 人', { exact: false })).toBeTruthy();
    const annex = screen.getByLabelText('梁园区 职业技能培训（万人次）') as HTMLInputElement;
    expect(annex.value).toBe('1.9');
    expect(annex.disabled).toBe(true);
    expect(screen.getByText('附件目标（不可修改）')).toBeTruthy();

    // Enter the 人社局's targets; the 示范区's stay as they were and are not sent.
    fireEvent.change(screen.getByLabelText('市人力资源社会保障局 职业技能培训（万人次）'), {
      target: { value: '1.2' },
    });
    fireEvent.change(screen.getByLabelText('市人力资源社会保障局 新增技能人才（万人）'), {
      target: { value: '0.8' },
    });
    fireEvent.change(screen.getByLabelText('市人力资源社会保障局 新增高技能人才（万人）'), {
      target: { value: '0.0125' },
    });
    fireEvent.change(screen.getByLabelText('目标来源（文件名称或文号）'), {
      target: { value: '商政办〔2024〕1号' },
    });
    fireEvent.click(screen.getByRole('button', { name: '保存目标' }));
    await waitFor(() => expect(sent.some((r) => r.method === 'PUT')).toBe(true));
    const put = sent.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/api/targets/${year}`);
    expect(put?.body).toEqual({
      units: [
        { unitId: 'A2-07', trainingPersonTimes: 12000, newSkilled: 8000, newHighSkilled: 125 },
      ],
      source: '商政办〔2024〕1号',
    });
  });

  it('refuses more than 4 decimals before sending, and shows the annex refusal in Chinese', async () => {
    const sent = serve(({ method, url }) => {
      if (url.pathname === '/api/auth/me') return json(admin);
      if (url.pathname === '/api/targets' && method === 'GET') return json(TARGETS);
      if (url.pathname === '/api/targets/employed') return json(EMPLOYED);
      if (method === 'PUT') return problem(409, 'TARGETS_FROM_ANNEX', 'annex');
      return undefined;
    });
    renderAt('/targets/manage');
    const field = await screen.findByLabelText('城乡一体化示范区 新增技能人才（万人）');
    fireEvent.change(field, { target: { value: '0.12345' } });
    fireEvent.change(screen.getByLabelText('目标来源（文件名称或文号）'), {
      target: { value: '文件' },
    });
    fireEvent.click(screen.getByRole('button', { name: '保存目标' }));
    expect(
      await screen.findByText(
        '城乡一体化示范区：请填写不小于 0、最多 4 位小数的数字（单位：万）。',
      ),
    ).toBeTruthy();
    expect(sent.some((r) => r.method === 'PUT')).toBe(false);

    fireEvent.change(field, { target: { value: '0.5' } });
    fireEvent.click(screen.getByRole('button', { name: '保存目标' }));
    expect(await screen.findByText('2022 年目标来自政策附件，不能修改。')).toBeTruthy();
  });

  it('saves the employed persons with their source', async () => {
    const sent = serve(({ method, url }) => {
      if (url.pathname === '/api/auth/me') return json(admin);
      if (url.pathname === '/api/targets' && method === 'GET') return json(TARGETS);
      if (url.pathname === '/api/targets/employed') return json(EMPLOYED);
      if (method === 'PUT') return json(EMPLOYED);
      return undefined;
    });
    renderAt('/targets/manage');
    const persons = await screen.findByLabelText('梁园区 就业人员（人）');
    fireEvent.change(persons, { target: { value: '380000' } });
    fireEvent.change(screen.getByLabelText('梁园区 数据来源'), { target: { value: '区统计局' } });
    fireEvent.click(screen.getByRole('button', { name: '保存就业人员数' }));
    await waitFor(() => expect(sent.some((r) => r.method === 'PUT')).toBe(true));
    expect(sent.find((r) => r.method === 'PUT')?.body).toEqual({
      rows: [{ unitId: 'A1-01', persons: 380000, source: '区统计局' }],
    });
  });
});

describe('the outcomes card', () => {
  it('shows suppressed cells as <10 and the rest with their n', async () => {
    const cell = (n: number | null, numerator: number | null, rate: number | null) => ({
      numerator,
      n,
      rate,
      suppressed: n === null,
    });
    const OUTCOMES: Outcomes = {
      year: 2024,
      asOf: '2025-11-15',
      suppressionThreshold: 10,
      definitions: [
        {
          measure: 'employment_q2',
          name: { zh: '结业后第 2 季度就业率', en: 'Q2' },
          definition: { zh: '定义', en: 'def' },
        },
      ],
      city: {
        unitId: null,
        name: '商丘市',
        annex: null,
        seq: null,
        certificateHolders: {
          holders: 19,
          employed: 4_000_000,
          employedSource: '公报',
          rate: 19 / 4_000_000,
          n: 19,
          suppressed: false,
        },
        employmentQ2: cell(20, 13, 0.65),
        employmentQ4: cell(19, 7, 7 / 19),
        earningsChangeQ2: { medianFen: 37501, n: 10, suppressed: false },
      },
      units: [
        {
          unitId: 'A1-02',
          name: '睢阳区',
          annex: 1,
          seq: 2,
          certificateHolders: {
            holders: null,
            employed: null,
            employedSource: null,
            rate: null,
            n: null,
            suppressed: true,
          },
          employmentQ2: cell(null, null, null),
          employmentQ4: cell(null, null, null),
          earningsChangeQ2: { medianFen: null, n: null, suppressed: true },
        },
      ],
    };
    serve(({ url }) => (url.pathname === '/api/targets/outcomes' ? json(OUTCOMES) : undefined));
    const { AppProviders, createQueryClient } = await import('../../AppProviders');
    const { render } = await import('@testing-library/react');
    render(
      <AppProviders queryClient={createQueryClient()} initialLocale="zh-CN">
        <OutcomesCard year={2024} />
      </AppProviders>,
    );
    const suiyang = (await screen.findByText('睢阳区')).closest('tr') as HTMLElement;
    expect(within(suiyang).getAllByText('<10')).toHaveLength(5);
    const city = screen.getByText('商丘市').closest('tr') as HTMLElement;
    expect(within(city).getByText('65.0%')).toBeTruthy();
    expect(within(city).getByText('n=20')).toBeTruthy();
    expect(within(city).getByText('375.01')).toBeTruthy();
    expect(within(city).getByText('4,000,000')).toBeTruthy();
  });
});
