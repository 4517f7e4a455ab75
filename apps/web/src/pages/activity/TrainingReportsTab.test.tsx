// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  ReportTrainingResult,
  TrainingReport,
  TrainingReportDetail,
} from '../../api/activityTrainings';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

/** apps/api/test/fixtures/sensitive.ts FIXTURE_ID_NUMBERS[0] and [1]. */
const ID_A = '41140219900307123X';
const ID_B = '411402199003071234';

const UNIT_ID = 'A2-07';
const REPORT_ID = '01a22256-9a9a-7267-86fe-cdd2f59e4c8d';

const unitOfficer: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'yingjiju',
  displayName: '市应急管理局经办人',
  role: 'unit_officer',
  scope: { kind: 'unit', unitId: UNIT_ID },
  permissions: ['activity.report', 'activity.read'],
  mustChangePassword: false,
};

const UNIT = {
  id: UNIT_ID,
  annex: 2,
  seq: 7,
  seedName: '市应急局',
  canonicalName: '市应急管理局',
  aliases: [],
  kind: 'department',
  regionCode: '411400',
  targets: [],
};

const REPORT: TrainingReport = {
  id: REPORT_ID,
  unitId: UNIT_ID,
  unitName: '市应急管理局',
  organisationId: null,
  planNo: null,
  title: '2025 年第三期高危行业安全培训',
  occupationCode: null,
  occupationName: null,
  skillLevelKey: null,
  startOn: '2025-09-01',
  endOn: '2025-09-05',
  hours: 40,
  period: '2025-09',
  source: 'import',
  importRunId: null,
  status: 'active',
  traineeCount: 2,
  completedCount: 1,
  reportedBy: unitOfficer.id,
  version: 3,
  createdAt: '2025-09-06T02:00:00.000Z',
  updatedAt: '2025-09-06T02:00:00.000Z',
};

const DETAIL: TrainingReportDetail = {
  ...REPORT,
  trainees: [
    {
      personId: '01a22256-abf9-7512-b4f1-1c6c4a41ad55',
      name: '张三',
      idNumberMasked: '411402********123X',
      completed: true,
    },
  ],
};

function months(year: number, closed: readonly string[]) {
  return {
    year,
    months: Array.from({ length: 12 }, (_, i) => {
      const period = `${year}-${String(i + 1).padStart(2, '0')}`;
      const shut = closed.includes(period);
      return {
        period,
        closed: shut,
        closedAt: shut ? '2025-10-05T02:00:00.000Z' : null,
        closedBy: null,
        closedByName: shut ? '市人社局' : null,
      };
    }),
  };
}

interface Options {
  me?: Me;
  closed?: readonly string[];
  /** The answer to the PATCH, if not a success. */
  correction?: () => Response;
}

function activityApi({ me = unitOfficer, closed = [], correction }: Options = {}): Handle {
  return ({ method, url, body }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(me);
    if (path === '/api/units') return json({ items: [UNIT] });
    if (path === '/api/plans') return json({ items: [] });
    if (path === '/api/skill-levels') return json({ items: [] });
    if (path === '/api/occupations') return json({ items: [], total: 0, page: 1, pageSize: 20 });
    if (path === '/api/activity/periods') {
      return json(months(Number(url.searchParams.get('year')), closed));
    }
    if (method === 'GET' && path === '/api/activity/trainings') {
      return json({ items: [REPORT], total: 1, page: 1, pageSize: 20 });
    }
    if (method === 'GET' && path === `/api/activity/trainings/${REPORT_ID}`) return json(DETAIL);
    if (method === 'PATCH' && path === `/api/activity/trainings/${REPORT_ID}`) {
      if (correction) return correction();
      return json({ report: { ...REPORT, version: 4 }, trainees: null });
    }
    if (method === 'POST' && path === '/api/activity/trainings') {
      const sent = body as { title: string; trainees: { name: string; completed: boolean }[] };
      const result: ReportTrainingResult = {
        report: {
          ...REPORT,
          id: '01a22256-9b9b-7267-86fe-cdd2f59e4c8d',
          title: sent.title,
          source: 'unit_report',
          traineeCount: 1,
          completedCount: 1,
          version: 1,
        },
        trainees: [
          {
            index: 0,
            name: sent.trainees[0]?.name ?? '',
            idNumberMasked: '411402********123X',
            outcome: 'matched',
            personId: '01a22256-abf9-7512-b4f1-1c6c4a41ad55',
            completed: true,
            code: null,
            message: null,
          },
          {
            index: 1,
            name: sent.trainees[1]?.name ?? '',
            idNumberMasked: '411402********1234',
            outcome: 'rejected',
            personId: null,
            completed: false,
            code: 'NAME_MISMATCH',
            message: 'the registry holds another name for this ID number',
          },
        ],
      };
      return json(result, 201);
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

function setDate(container: HTMLElement, label: string, value: string) {
  const input = within(container).getByLabelText(label);
  fireEvent.mouseDown(input);
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
}

const writes = (sent: { method: string; path: string; body: unknown }[]) =>
  sent
    .filter((r) => r.method !== 'GET')
    .map((r) => ({ method: r.method, path: r.path, body: r.body }));

async function openForm(): Promise<HTMLElement> {
  fireEvent.click(await screen.findByRole('button', { name: /填报培训/ }));
  return screen.findByRole('dialog');
}

const submit = (dialog: HTMLElement) =>
  fireEvent.click(within(dialog).getByRole('button', { name: /提\s*交/ }));

describe('the training reports tab', () => {
  it('lists a unit its reports with source, status, trainees and month', async () => {
    serve(activityApi());
    renderAt('/activity');
    const row = (await screen.findByText(REPORT.title)).closest('tr') as HTMLElement;
    expect(within(row).getByText('批量导入')).toBeTruthy();
    expect(within(row).getByText('有效')).toBeTruthy();
    expect(within(row).getByText('1/2 人结业')).toBeTruthy();
    expect(within(row).getByText('2025-09-01 ~ 2025-09-05')).toBeTruthy();
    expect(within(row).getByText('2025-09')).toBeTruthy();
    // A unit officer sees its own unit only: no unit column, no unit filter.
    expect(screen.queryByRole('combobox', { name: '责任单位' })).toBeNull();
    // Bulk upload is the imports page's, opened on this kind.
    const bulk = screen
      .getAllByRole('link', { name: /批量导入/ })
      .map((link) => link.getAttribute('href'));
    expect(bulk).toContain('/imports?kind=training_reports');
  }, 60_000);

  it('fills the trainees from rows pasted from Excel and checks them before sending', async () => {
    const sent = serve(activityApi());
    renderAt('/activity');
    const dialog = await openForm();
    fireEvent.change(within(dialog).getByLabelText('培训名称'), {
      target: { value: ' 2025 年第四期低压电工作业培训 ' },
    });
    setDate(dialog, '开始日期', '2025-10-08');
    setDate(dialog, '结束日期', '2025-10-12');
    fireEvent.change(within(dialog).getByLabelText('学时'), { target: { value: '36.5' } });

    fireEvent.click(within(dialog).getByRole('button', { name: /从 Excel 粘贴/ }));
    fireEvent.change(within(dialog).getByLabelText('粘贴内容'), {
      target: {
        value: `身份证号\t姓名\t是否结业\n${ID_A.toLowerCase()}\t张三\t是\n${ID_B}\t李四\t否\n4114031990\t王五\n`,
      },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: /加入学员名单/ }));
    expect(await within(dialog).findByText('已加入 3 名学员')).toBeTruthy();
    expect(within(dialog).getByText('共 3 名学员')).toBeTruthy();
    expect((within(dialog).getByLabelText('第 1 行身份证号') as HTMLInputElement).value).toBe(ID_A);
    expect((within(dialog).getByLabelText('第 2 行姓名') as HTMLInputElement).value).toBe('李四');
    expect((within(dialog).getByLabelText('第 2 行已结业') as HTMLInputElement).checked).toBe(
      false,
    );

    submit(dialog);
    expect(await within(dialog).findByText('有 1 行学员信息需要修改')).toBeTruthy();
    expect(within(dialog).getByText('身份证号应为 18 位，最后一位可为 X')).toBeTruthy();
    expect(writes(sent)).toEqual([]);

    fireEvent.click(within(dialog).getByRole('button', { name: '删除第 3 行' }));
    submit(dialog);
    await waitFor(() =>
      expect(writes(sent)).toEqual([
        {
          method: 'POST',
          path: '/api/activity/trainings',
          body: {
            unitId: UNIT_ID,
            title: '2025 年第四期低压电工作业培训',
            startOn: '2025-10-08',
            endOn: '2025-10-12',
            hours: 36.5,
            trainees: [
              { idNumber: ID_A, name: '张三', completed: true },
              { idNumber: ID_B, name: '李四', completed: false },
            ],
          },
        },
      ]),
    );

    // What became of each trainee, with the reason in Chinese.
    expect(
      await within(dialog).findByText(
        '已保存培训记录“2025 年第四期低压电工作业培训”，计入 2025-09',
      ),
    ).toBeTruthy();
    expect(within(dialog).getByText('匹配人员库 1 人，新登记 0 人，未接收 1 人')).toBeTruthy();
    const rejected = within(dialog).getByText('未接收').closest('tr') as HTMLElement;
    expect(within(rejected).getByText('李四')).toBeTruthy();
    expect(within(rejected).getByText('姓名与人员库中该身份证号登记的姓名不一致')).toBeTruthy();
  }, 60_000);

  it('says that a closed month can no longer be corrected and offers no change', async () => {
    const sent = serve(activityApi({ closed: ['2025-09'] }));
    renderAt('/activity');
    fireEvent.click(await screen.findByText(REPORT.title));
    const drawer = await screen.findByRole('dialog');
    expect(await within(drawer).findByText('该月已关账，不能再更正')).toBeTruthy();
    expect(within(drawer).getByText('411402********123X')).toBeTruthy();
    const correct = within(drawer).getByRole('button', { name: /更\s*正/ });
    const withdraw = within(drawer).getByRole('button', { name: /撤\s*回/ });
    expect(correct.hasAttribute('disabled')).toBe(true);
    expect(withdraw.hasAttribute('disabled')).toBe(true);
    // The list marks the month too.
    const row = screen
      .getAllByText(REPORT.title)
      .map((cell) => cell.closest('tr'))
      .find((tr) => tr !== null) as HTMLElement;
    expect(within(row).getByText('已关账')).toBeTruthy();
    expect(writes(sent)).toEqual([]);
  }, 60_000);

  it('corrects with the version read, and asks to reload when someone changed it meanwhile', async () => {
    const sent = serve(
      activityApi({
        correction: () =>
          problem(
            409,
            'CONFLICT',
            'The report changed since you read it (version 4, not 3): reload it',
          ),
      }),
    );
    renderAt('/activity');
    fireEvent.click(await screen.findByText(REPORT.title));
    const drawer = await screen.findByRole('dialog');
    const correct = await within(drawer).findByRole('button', { name: /更\s*正/ });
    await waitFor(() => expect(correct.hasAttribute('disabled')).toBe(false));
    fireEvent.click(correct);
    const form = (await screen.findAllByRole('dialog')).find((d) =>
      within(d).queryByText('更正培训记录'),
    ) as HTMLElement;
    fireEvent.change(within(form).getByLabelText('学时'), { target: { value: '42' } });
    submit(form);
    expect(
      await within(form).findByText('这条记录在您打开后已被他人更正，请重新加载后再更正。'),
    ).toBeTruthy();
    expect(writes(sent)).toEqual([
      {
        method: 'PATCH',
        path: `/api/activity/trainings/${REPORT_ID}`,
        body: {
          version: 3,
          unitId: UNIT_ID,
          title: REPORT.title,
          startOn: '2025-09-01',
          endOn: '2025-09-05',
          hours: 42,
          occupationCode: null,
          skillLevelKey: null,
          planNo: null,
        },
      },
    ]);
  }, 60_000);
});
