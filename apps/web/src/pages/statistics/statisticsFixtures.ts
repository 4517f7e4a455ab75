import type {
  MeasureProgress,
  Measures,
  RecordsPage,
  Report,
  ReportSummary,
  TargetProgress,
  Trend,
  UnitProgress,
} from '../../api/statistics';
import type { Me } from '../../api/types';

/*
 * What the statistics API answers in the component tests: a few units of both annexes, two plans
 * and one record (the test files' fake server serves them).
 */

export const cityAdmin: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c01',
  username: 'admin',
  displayName: '市人社局管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['statistics.read', 'statistics.records', 'reports.generate', 'targets.manage'],
  mustChangePassword: false,
};

/** Reads figures but not the records behind them (finance). */
export const financeReader: Me = {
  ...cityAdmin,
  id: '01a22256-7653-7267-86fe-cdd2f59e4c02',
  username: 'caiwu',
  displayName: '财务科',
  role: 'finance',
  permissions: ['statistics.read'],
};

function figure(
  target: number | null,
  actual: number,
  status: MeasureProgress['status'],
  rank: number | null,
): MeasureProgress {
  return {
    target,
    actual,
    progress: target === null ? null : actual / target,
    status,
    projected: actual * 4,
    rank,
  };
}

const measures = (training: number, skilled: number, high: number, rank: number): Measures => ({
  training: figure(35_000, training, training >= 8_750 ? 'ahead' : 'behind', rank),
  skilled: figure(25_000, skilled, 'behind', rank),
  high_skilled: figure(10_000, high, 'behind', rank),
});

function unit(
  unitId: string,
  name: string,
  annex: 1 | 2 | null,
  seq: number | null,
  figures: Measures,
): UnitProgress {
  return {
    unitId,
    name,
    annex,
    seq,
    kind: annex === 1 ? 'county' : 'department',
    regionCode: annex === 1 ? '411481' : '411400',
    targetSource: annex === null ? null : '2022年附件',
    measures: figures,
  };
}

export const PROGRESS: TargetProgress = {
  year: 2026,
  asOf: '2026-03-31',
  elapsedShare: 0.2466,
  definitions: [
    {
      measure: 'training',
      name: { zh: '职业技能培训', en: 'Training person-times' },
      unit: { zh: '人次', en: 'person-times' },
      definition: { zh: '期内结束并考核合格的培训人次。', en: 'Trainee-courses that ended.' },
    },
  ],
  attribution: { zh: '两个附件的口径相互重叠，不可相加。', en: 'Never add them together.' },
  city: measures(12_000, 3_000, 500, 1),
  unattributedToCounty: { training: 7, skilled: 0, high_skilled: 0 },
  units: [
    // Out of annex order on purpose: the page orders by seq.
    unit('A1-04', '永城市', 1, 4, measures(9_100, 2_000, 300, 1)),
    unit('A1-01', '梁园区', 1, 1, measures(4_200, 1_000, 100, 2)),
    unit('X-01', '市技师学院', null, null, measures(12, 0, 0, 3)),
    unit('A2-07', '市人力资源社会保障局', 2, 7, measures(1, 0, 0, 2)),
    unit('A2-01', '市教育体育局', 2, 1, measures(8_800, 0, 0, 1)),
  ],
  plans: [
    {
      planNo: 1,
      name: '先进制造业和战略性新兴产业技能提升计划',
      certifiesAllTrained: false,
      measures: measures(3_000, 0, 0, 1),
    },
    {
      planNo: 10,
      name: '康养托育技能提升计划',
      certifiesAllTrained: true,
      measures: measures(5, 0, 0, 2),
    },
  ],
  goals2025: {
    elapsedShare: 1,
    training: {
      target: 1_200_000,
      actual: 1_300_000,
      progress: 1.0833,
      status: 'ahead',
      projected: 1_300_000,
    },
    skilled: {
      target: 1_000_000,
      actual: 900_000,
      progress: 0.9,
      status: 'behind',
      projected: 900_000,
    },
    high_skilled: {
      target: 300_000,
      actual: 310_000,
      progress: 1.0333,
      status: 'ahead',
      projected: 310_000,
    },
  },
};

export const TREND: Trend = {
  year: 2026,
  months: [
    { month: '2026-01', training: 4_000, skilled: 1_000, high_skilled: 200 },
    { month: '2026-02', training: 3_000, skilled: 900, high_skilled: 100 },
    { month: '2026-03', training: 5_000, skilled: 1_100, high_skilled: 200 },
  ],
  funnel: { issued: 120, bound: 90, completed: 70, certified: 50, redeemed: 40 },
};

export const RECORDS: RecordsPage = {
  items: [
    {
      personId: '01a22256-abf9-7512-b4f1-1c6c4a41ad55',
      name: '张三',
      idNumberMasked: '411481********0031',
      measure: 'training',
      onDate: '2026-03-14',
      unitId: 'A1-04',
      unitName: '永城市',
      countyUnitId: 'A1-04',
      countyUnitName: '永城市',
      planNo: 1,
      occupationCode: '4-10-01-01',
      occupationName: '育婴员',
      skillLevelKey: 'level4',
      source: 'unit_report',
      recordId: '01a22256-9a9a-7267-86fe-cdd2f59e4c8d',
    },
  ],
  total: 1,
  page: 1,
  pageSize: 20,
};

/** The query of each records request sent, as name → value. */
export function recordQueries(sent: { method: string; path: string }[]) {
  return sent
    .filter((request) => request.path.startsWith('/api/statistics/records'))
    .map((request) =>
      Object.fromEntries(new URL(request.path, 'http://localhost').searchParams.entries()),
    );
}

type Cell = Report['content']['annex1']['rows'][number]['measures']['training'];

const cell = (period: number, ytd: number, target: number, rank: number | null): Cell => ({
  period,
  ytd,
  target,
  progress: ytd / target,
  rank,
  status: ytd / target >= 0.2466 ? 'ahead' : 'behind',
});
const cells = (period: number, ytd: number, target: number, rank: number | null) => ({
  training: cell(period, ytd, target, rank),
  skilled: cell(0, 0, target, rank),
  high_skilled: cell(0, 0, target, rank),
});
const { rank: _rank, ...totalCell } = cell(1, 1, 1, null);

export const REPORT_SUMMARY: ReportSummary = {
  id: '01a22256-7e70-7267-86fe-cdd2f59e4c8d',
  kind: 'weekly',
  title: '商丘市“人人持证、技能河南”建设周调度表（2026年3月23日—3月29日）',
  periodStart: '2026-03-23',
  periodEnd: '2026-03-29',
  trigger: 'schedule',
  generatedAt: '2026-03-29T17:00:00.000Z',
  generatedByName: null,
};

export const REPORT: Report = {
  ...REPORT_SUMMARY,
  content: {
    kind: 'weekly',
    title: REPORT_SUMMARY.title,
    period: { start: '2026-03-23', end: '2026-03-29' },
    asOf: '2026-03-29',
    year: 2026,
    elapsedShare: 0.2466,
    generatedAt: '2026-03-29T17:00:00.000Z',
    definitions: PROGRESS.definitions,
    attribution: PROGRESS.attribution,
    annex1: {
      title: '附件1 各县（市、区）',
      rows: [
        {
          unitId: 'A1-04',
          name: '永城市',
          annex: 1,
          seq: 4,
          measures: cells(120, 9_100, 35_000, 1),
          rank: 1,
          laggard: false,
        },
        {
          unitId: 'A1-01',
          name: '梁园区',
          annex: 1,
          seq: 1,
          measures: cells(30, 4_200, 19_000, 2),
          rank: 2,
          laggard: true,
        },
      ],
      total: {
        name: '合计',
        measures: {
          training: {
            ...totalCell,
            period: 150,
            ytd: 13_300,
            target: 54_000,
            progress: 13_300 / 54_000,
          },
          skilled: {
            ...totalCell,
            period: 0,
            ytd: 0,
            target: 54_000,
            progress: 0,
            status: 'behind',
          },
          high_skilled: {
            ...totalCell,
            period: 0,
            ytd: 0,
            target: 54_000,
            progress: 0,
            status: 'behind',
          },
        },
      },
    },
    annex2: {
      title: '附件2 市直各部门',
      rows: [
        {
          unitId: 'A2-07',
          name: '市人力资源社会保障局',
          annex: 2,
          seq: 7,
          measures: cells(1, 1, 5_000, 1),
          rank: 1,
          laggard: true,
        },
      ],
      total: {
        name: '合计',
        measures: {
          training: {
            ...totalCell,
            period: 1,
            ytd: 1,
            target: 5_000,
            progress: 0.0002,
            status: 'behind',
          },
          skilled: {
            ...totalCell,
            period: 0,
            ytd: 0,
            target: 5_000,
            progress: 0,
            status: 'behind',
          },
          high_skilled: {
            ...totalCell,
            period: 0,
            ytd: 0,
            target: 5_000,
            progress: 0,
            status: 'behind',
          },
        },
      },
    },
    plans: {
      title: '十二项技能提升计划',
      rows: [
        {
          planNo: 1,
          name: '先进制造业和战略性新兴产业技能提升计划',
          certifiesAllTrained: false,
          measures: cells(100, 3_000, 65_000, 1),
          laggard: true,
        },
      ],
    },
    city: {
      period: { training: 151, skilled: 0, high_skilled: 0 },
      ytd: { training: 13_301, skilled: 0, high_skilled: 0 },
      ytdUnattributedToCounty: { training: 0, skilled: 0, high_skilled: 0 },
    },
  },
};
