// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  ActivityPeriods,
  ActivityTotals,
  ExternalCertificate,
} from '../../api/activityIntake';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

/** apps/api/test/fixtures/sensitive.ts FIXTURE_ID_NUMBERS[4]. */
const ID_NUMBER = '411403200002290027';
const MASKED = '411403********0027';
const UNIT = 'A2-07';
const NUMBER = 'S000041000123254000057';

const officer: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'yingji',
  displayName: '市应急管理局经办人',
  role: 'unit_officer',
  scope: { kind: 'unit', unitId: UNIT },
  permissions: ['activity.read', 'activity.report'],
  mustChangePassword: false,
};

const cityAdmin: Me = {
  ...officer,
  id: '01a22256-7654-7267-86fe-cdd2f59e4c8d',
  username: 'city',
  displayName: '市人社局管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['activity.read', 'activity.report', 'activity.periods.close'],
};

const auditor: Me = {
  ...officer,
  role: 'auditor',
  scope: { kind: 'city' },
  permissions: ['activity.read'],
};

const CERTIFICATE: ExternalCertificate = {
  id: '01a22256-9a9a-7267-86fe-cdd2f59e4c8d',
  kind: 'skill_level',
  number: NUMBER,
  external: true,
  personId: '01a22256-abf9-7512-b4f1-1c6c4a41ad55',
  holderName: '王小红',
  holderIdNumberMasked: MASKED,
  occupationCode: '6-01-01-01',
  occupationName: '碾米工',
  skillLevelKey: 'level4',
  skillLevelName: '四级/中级工',
  itemName: null,
  issuerName: '郑州市职业技能鉴定中心',
  issuingProvinceCode: '41',
  issuedOn: '2025-03-10',
  validUntil: null,
  unitId: UNIT,
  unitName: '市应急管理局',
  period: '2025-03',
  source: 'unit_report',
  importRunId: null,
  status: 'active',
  duplicateOf: {
    certificateId: '01a22256-c1c1-7267-86fe-cdd2f59e4c8d',
    number: 'S000041000052254000011',
  },
  reportedBy: officer.id,
  version: 1,
  createdAt: '2025-03-11T02:00:00.000Z',
  updatedAt: '2025-03-11T02:00:00.000Z',
};

const SPECIAL_OPERATION: ExternalCertificate = {
  ...CERTIFICATE,
  id: '01a22256-9b9b-7267-86fe-cdd2f59e4c8d',
  kind: 'special_operation',
  number: '411403********0027',
  occupationCode: null,
  occupationName: null,
  skillLevelKey: null,
  skillLevelName: null,
  itemName: '电工作业/低压电工作业',
  issuerName: '河南省应急管理厅',
  validUntil: '2031-03-10',
  duplicateOf: null,
  source: 'import',
};

interface Options {
  me: Me;
  post?: () => Response;
  patch?: () => Response;
  periods?: ActivityPeriods;
}

function activityApi({ me, post, patch, periods }: Options): Handle {
  return ({ method, url, body }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(me);
    if (path === '/api/units') {
      return json({
        items: [
          {
            id: UNIT,
            annex: 1,
            seq: 7,
            seedName: '市应急局',
            canonicalName: '市应急管理局',
            aliases: [],
            kind: 'department',
            regionCode: '411400',
            targets: [],
          },
        ],
      });
    }
    if (path === '/api/occupations') {
      return json({
        items: [{ code: '6-01-01-01', name: '碾米工' }],
        total: 1,
        page: 1,
        pageSize: 20,
      });
    }
    if (method === 'GET' && path === '/api/activity/certificates') {
      return json({ items: [CERTIFICATE, SPECIAL_OPERATION], total: 2, page: 1, pageSize: 20 });
    }
    if (method === 'POST' && path === '/api/activity/certificates') {
      if (post) return post();
      const sent = body as { number: string };
      return json(
        { ...CERTIFICATE, id: '01a22256-9c9c-7267-86fe-cdd2f59e4c8d', number: sent.number },
        201,
      );
    }
    if (method === 'PATCH' && path === `/api/activity/certificates/${CERTIFICATE.id}`) {
      if (patch) return patch();
      return json({ ...CERTIFICATE, version: 2 });
    }
    if (method === 'GET' && path === '/api/activity/totals') {
      const totals: ActivityTotals = {
        unitId: UNIT,
        period: url.searchParams.get('period'),
        year: null,
        trainingPersonTimes: 2,
        trainingRecords: 3,
        trainingDuplicatesRemoved: 1,
        certifiedPersons: 5,
        highSkilledPersons: 1,
      };
      return json(totals);
    }
    if (method === 'GET' && path === '/api/activity/periods' && periods) return json(periods);
    if (method === 'POST' && /^\/api\/activity\/periods\/[0-9-]+\/close$/.test(path)) {
      const period = path.split('/')[4] as string;
      return json({
        period,
        closed: true,
        closedAt: '2025-04-02T01:00:00.000Z',
        closedBy: cityAdmin.id,
        closedByName: cityAdmin.displayName,
        changed: true,
      });
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
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

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

const requests = (sent: { method: string; path: string; body: unknown }[], method: string) =>
  sent.filter((r) => r.method === method).map((r) => ({ path: r.path, body: r.body }));

async function openRecordForm(): Promise<HTMLElement> {
  fireEvent.click(await screen.findByRole('button', { name: /登记外部证书/ }));
  return screen.findByRole('dialog');
}

async function fillSkillLevel(dialog: HTMLElement, number: string) {
  fireEvent.change(within(dialog).getByLabelText('持证人姓名'), { target: { value: ' 王小红 ' } });
  fireEvent.change(within(dialog).getByLabelText('持证人身份证号'), {
    target: { value: ID_NUMBER },
  });
  fireEvent.change(within(dialog).getByLabelText('证书编号'), { target: { value: number } });
  await choose(dialog, '职业（工种）', '6-01-01-01 碾米工');
  await choose(dialog, '技能等级', '四级/中级工');
  fireEvent.change(within(dialog).getByLabelText('发证机构'), {
    target: { value: '郑州市职业技能鉴定中心' },
  });
  setDate(dialog, '发证日期', '2025-03-10');
}

describe('the external certificates tab', () => {
  it('lists certificates with a masked 特种作业 number and marks those we issued too', async () => {
    const sent = serve(activityApi({ me: officer }));
    renderAt('/activity?tab=certificates&ckind=skill_level&cdup=true');
    const row = (await screen.findByText(NUMBER)).closest('tr') as HTMLElement;
    expect(within(row).getByText('职业技能等级证书')).toBeTruthy();
    expect(within(row).getByText('王小红')).toBeTruthy();
    expect(within(row).getByText(MASKED)).toBeTruthy();
    expect(within(row).getByText('碾米工')).toBeTruthy();
    expect(within(row).getByText('四级/中级工')).toBeTruthy();
    expect(within(row).getByText('河南（41）')).toBeTruthy();
    expect(within(row).getByText('重复')).toBeTruthy();
    expect(within(row).getByText('单位填报')).toBeTruthy();
    fireEvent.mouseEnter(within(row).getByText('重复'));
    expect(
      await screen.findByText('已由本系统发证（S000041000052254000011），只计一次'),
    ).toBeTruthy();
    const other = screen.getByText('电工作业/低压电工作业').closest('tr') as HTMLElement;
    expect(within(other).getAllByText(MASKED)).toHaveLength(2);
    expect(within(other).getByText('批量导入')).toBeTruthy();
    expect(within(other).queryByText('重复')).toBeNull();
    expect(
      sent.some(
        (r) =>
          r.path ===
          '/api/activity/certificates?page=1&pageSize=20&kind=skill_level&duplicate=true',
      ),
    ).toBe(true);
  }, 30_000);

  it('offers no recording or corrections to a read-only auditor', async () => {
    serve(activityApi({ me: auditor }));
    renderAt('/activity?tab=certificates');
    await screen.findByText(NUMBER);
    expect(screen.queryByRole('button', { name: /登记外部证书/ })).toBeNull();
    expect(screen.queryByRole('button', { name: '更正' })).toBeNull();
  }, 30_000);

  it('asks for the fields of the kind and checks a number’s shape before sending', async () => {
    const sent = serve(activityApi({ me: officer }));
    renderAt('/activity?tab=certificates');
    const dialog = await openRecordForm();
    expect(within(dialog).getByText(/S000041000123224000057：首位 S/)).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('证书编号'), { target: { value: 'S12345' } });
    expect(
      await within(dialog).findByText('职业技能等级证书编号应为 22 位：Y 或 S 加 21 位数字'),
    ).toBeTruthy();

    await choose(dialog, '证书类别', '职业资格证书');
    expect(await within(dialog).findByText(/16 位数字：前 2 位为发证年份/)).toBeTruthy();
    expect(await within(dialog).findByText('职业资格证书编号应为 16 位数字')).toBeTruthy();

    await choose(dialog, '证书类别', '特种作业操作证');
    expect(await within(dialog).findByLabelText('作业类别')).toBeTruthy();
    expect(within(dialog).getByLabelText('有效期至')).toBeTruthy();
    expect(within(dialog).queryByLabelText('技能等级')).toBeNull();
    expect(within(dialog).queryByLabelText('职业（工种）')).toBeNull();

    await choose(dialog, '证书类别', '专项职业能力证书');
    expect(await within(dialog).findByLabelText('专项职业能力项目名称')).toBeTruthy();
    expect(within(dialog).queryByLabelText('有效期至')).toBeNull();
    expect(requests(sent, 'POST')).toEqual([]);
  }, 30_000);

  it('sends a skill-level certificate in the API’s shape and says it counts once', async () => {
    const sent = serve(activityApi({ me: officer }));
    renderAt('/activity?tab=certificates');
    const dialog = await openRecordForm();
    await fillSkillLevel(dialog, ' s000041000123254000057 ');
    fireEvent.click(within(dialog).getByRole('button', { name: /登\s*记/ }));
    await waitFor(() =>
      expect(requests(sent, 'POST')).toEqual([
        {
          path: '/api/activity/certificates',
          body: {
            unitId: UNIT,
            kind: 'skill_level',
            number: NUMBER,
            idNumber: ID_NUMBER,
            name: '王小红',
            occupationCode: '6-01-01-01',
            skillLevelKey: 'level4',
            issuerName: '郑州市职业技能鉴定中心',
            issuingProvinceCode: '41',
            issuedOn: '2025-03-10',
          },
        },
      ]),
    );
    expect(await within(dialog).findByText(`已登记外部证书 ${NUMBER}`)).toBeTruthy();
    expect(
      within(dialog).getByText(
        '该证书与本系统已发证书 S000041000052254000011 为同一人、同一职业和等级：已登记，但只计一次。',
      ),
    ).toBeTruthy();
  }, 30_000);

  it('puts the server’s rejection on the field it names, in Chinese', async () => {
    serve(
      activityApi({
        me: officer,
        post: () =>
          problem(
            400,
            'LEVEL_MISMATCH',
            'The level digit 3 of the number does not match the level reported (4)',
            [
              {
                path: '/body/number',
                message: 'The level digit 3 of the number does not match the level reported (4)',
              },
            ],
          ),
      }),
    );
    renderAt('/activity?tab=certificates');
    const dialog = await openRecordForm();
    await fillSkillLevel(dialog, 'S000041000123253000057');
    fireEvent.click(within(dialog).getByRole('button', { name: /登\s*记/ }));
    expect(
      await within(dialog).findByText('证书编号中的等级位与填写的技能等级不一致。'),
    ).toBeTruthy();
    expect(within(dialog).queryByRole('alert')).toBeNull();
  }, 30_000);

  it('corrects with the version read, sending only what changed, and explains a closed month', async () => {
    const sent = serve(
      activityApi({
        me: officer,
        patch: () =>
          problem(
            409,
            'PERIOD_CLOSED',
            'The reporting month 2025-03 is closed: its reports can no longer change',
          ),
      }),
    );
    renderAt('/activity?tab=certificates');
    const row = (await screen.findByText(NUMBER)).closest('tr') as HTMLElement;
    fireEvent.click(within(row).getByRole('button', { name: '更正' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(`持证人：王小红（${MASKED}）`)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: /保存更正/ }));
    expect(await within(dialog).findByText('没有改动')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('发证机构'), {
      target: { value: '河南省职业技能鉴定指导中心' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: /保存更正/ }));
    expect(
      await within(dialog).findByText('该月已关账，不能再新增、更正或撤回该月的记录。'),
    ).toBeTruthy();
    expect(requests(sent, 'PATCH')).toEqual([
      {
        path: `/api/activity/certificates/${CERTIFICATE.id}`,
        body: { version: 1, issuerName: '河南省职业技能鉴定指导中心' },
      },
    ]);
  }, 30_000);
});

describe('the totals tab', () => {
  it('shows a unit officer its month as it will count, with the rule', async () => {
    const sent = serve(activityApi({ me: officer }));
    renderAt('/activity?tab=totals&tperiod=2025-03');
    expect(
      await screen.findByText(
        '同一人同一职业同一月份只计一次，无论来源（以券培训、单位填报、批量导入或接口）。',
      ),
    ).toBeTruthy();
    expect(
      await screen.findByText(
        '共 3 条结业记录，去除重复 1 条，计 2 人次。取证人数同一人同一职业同一等级只计一次，本系统发证与外部证书重复的不重复计算。',
      ),
    ).toBeTruthy();
    expect(screen.getByText('培训人次（计入统计）')).toBeTruthy();
    expect(sent.some((r) => r.path === '/api/activity/totals?period=2025-03&unitId=A2-07')).toBe(
      true,
    );
    // The officer's own unit: nothing to pick.
    expect(screen.queryByText('全部（本人范围内）')).toBeNull();
  }, 30_000);
});

describe('the reporting months page', () => {
  const months = (year: number): ActivityPeriods => ({
    year,
    months: Array.from({ length: 12 }, (_, i) => {
      const period = `${year}-${String(i + 1).padStart(2, '0')}`;
      return period === `${year}-01`
        ? {
            period,
            closed: true,
            closedAt: '2025-02-03T01:30:00.000Z',
            closedBy: cityAdmin.id,
            closedByName: '市人社局管理员',
          }
        : { period, closed: false, closedAt: null, closedBy: null, closedByName: null };
    }),
  });

  it('closes a month after a warning that it cannot be reopened', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-04-15T04:00:00Z') });
    const sent = serve(activityApi({ me: cityAdmin, periods: months(2025) }));
    renderAt('/activity/periods');
    const closed = (await screen.findByText('2025-01')).closest('tr') as HTMLElement;
    expect(within(closed).getByText('已关账')).toBeTruthy();
    expect(within(closed).getByText('市人社局管理员')).toBeTruthy();
    expect(within(closed).getByText('2025/02/03 09:30')).toBeTruthy();
    const may = screen.getByText('2025-05').closest('tr') as HTMLElement;
    expect(within(may).getByText('未开始')).toBeTruthy();
    expect(within(may).queryByRole('button')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: '关账 2025-03' }));
    expect(
      await screen.findByText(
        '关账后，2025-03 的培训记录和外部证书不能再新增、更正或撤回。关账不能撤销，也不能重新开账。',
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '确认关账' }));
    await waitFor(() =>
      expect(requests(sent, 'POST')).toEqual([
        { path: '/api/activity/periods/2025-03/close', body: undefined },
      ]),
    );
    expect(await screen.findByText('2025-03 已关账')).toBeTruthy();
  }, 30_000);

  it('lets an auditor read the months but close none', async () => {
    serve(activityApi({ me: auditor, periods: months(2025) }));
    renderAt('/activity/periods?year=2025');
    expect(await screen.findByText('2025-01')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /关账/ })).toBeNull();
  }, 30_000);
});
