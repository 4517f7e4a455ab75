// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Placement, RecordPlacementResult } from '../../api/employment';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const AGENCY_ID = '01a22256-0a0a-7267-86fe-cdd2f59e4c8d';
const OTHER_AGENCY_ID = '01a22256-0b0b-7267-86fe-cdd2f59e4c8d';
const PERSON_ID = '01a22256-abf9-7512-b4f1-1c6c4a41ad55';
/** apps/api/test/fixtures/sensitive.ts FIXTURE_ID_NUMBERS[4]. */
const ID_NUMBER = '411403200002290027';
const MASKED = '411403********0027';
/** apps/api/test/fixtures/uscc_test_vectors.csv: a valid code. */
const USCC = '91110000600037341L';

const agencyStaff: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'zhongjie',
  displayName: '商丘人力资源服务公司',
  role: 'hr_agency',
  scope: { kind: 'organisation', organisationId: AGENCY_ID },
  permissions: ['placements.read', 'placements.write', 'subsidies.read'],
  mustChangePassword: false,
};

const countyAdmin: Me = {
  ...agencyStaff,
  id: '01a22256-7654-7267-86fe-cdd2f59e4c8d',
  username: 'suiyang',
  displayName: '睢阳区人社局管理员',
  role: 'county_admin',
  scope: { kind: 'region', regionCode: '411403' },
  permissions: ['placements.read', 'placements.write', 'subsidies.read', 'organisations.read'],
};

const PLACEMENT: Placement = {
  id: '01a22256-9a9a-7267-86fe-cdd2f59e4c8d',
  agencyOrganisationId: AGENCY_ID,
  agencyName: '商丘人力资源服务公司',
  personId: PERSON_ID,
  personName: '王小红',
  personIdNumberMasked: MASKED,
  employerUscc: USCC,
  employerName: '商丘市恒达机械有限公司',
  employerRegionCode: '411403',
  employerRegionName: '睢阳区',
  placedOn: '2025-09-01',
  claim: {
    id: '01a22256-c1c1-7267-86fe-cdd2f59e4c8d',
    number: 'BT2600000101',
    status: 'submitted',
  },
  createdAt: '2025-09-01T02:00:00.000Z',
};

interface Options {
  me: Me;
  /** The answer to the POST, if not the default (recorded, one claim created). */
  answer?: () => Response;
}

function placementsApi({ me, answer }: Options): Handle {
  return ({ method, url, body }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(me);
    if (path === '/api/regions') {
      const parent = url.searchParams.get('parent');
      const region = (code: string, name: string, levelName: string, parentCode: string) => ({
        code,
        name,
        level: levelName === 'prefecture' ? 2 : 3,
        levelName,
        parentCode,
        statisticsOnly: false,
        isLocalUnit: false,
        hasChildren: false,
      });
      if (parent === '410000') {
        return json({
          items: [
            region('411400', '商丘市', 'prefecture', '410000'),
            region('410100', '郑州市', 'prefecture', '410000'),
          ],
        });
      }
      if (parent === '411400') {
        return json({
          items: [
            region('411402', '梁园区', 'county', '411400'),
            region('411403', '睢阳区', 'county', '411400'),
          ],
        });
      }
      return json({ items: [] });
    }
    if (path === '/api/organisations') {
      return json({
        items: [{ id: OTHER_AGENCY_ID, name: '睢阳区人才服务中心', kind: 'hr_agency' }],
        total: 1,
        page: 1,
        pageSize: 50,
      });
    }
    if (method === 'GET' && path === '/api/placements') {
      return json({ items: [PLACEMENT], total: 1, page: 1, pageSize: 20 });
    }
    if (method === 'POST' && path === '/api/placements') {
      if (answer) return answer();
      const sent = body as { placedOn: string };
      const result: RecordPlacementResult = {
        placement: { ...PLACEMENT, id: '01a22256-9b9b-7267-86fe-cdd2f59e4c8d', claim: null },
        claims: {
          created: [
            {
              claimId: '01a22256-c2c2-7267-86fe-cdd2f59e4c8d',
              number: 'BT2600000102',
              kind: 'placement',
              amountFen: 30_000,
              capCut: false,
            },
          ],
          refused: [],
        },
      };
      result.placement.placedOn = sent.placedOn;
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

async function openForm(): Promise<HTMLElement> {
  fireEvent.click(await screen.findByRole('button', { name: /登记职业介绍/ }));
  return screen.findByRole('dialog');
}

const submit = (dialog: HTMLElement) =>
  fireEvent.click(within(dialog).getByRole('button', { name: /登\s*记/ }));

const posts = (sent: { method: string; path: string; body: unknown }[]) =>
  sent.filter((r) => r.method === 'POST').map((r) => ({ path: r.path, body: r.body }));

describe('the placements page', () => {
  it('lists an agency its placements with the claim each earned', async () => {
    serve(placementsApi({ me: agencyStaff }));
    renderAt('/placements');
    const row = (await screen.findByText('王小红')).closest('tr') as HTMLElement;
    expect(within(row).getByText(MASKED)).toBeTruthy();
    expect(within(row).getByText('商丘市恒达机械有限公司')).toBeTruthy();
    expect(within(row).getByText('睢阳区')).toBeTruthy();
    expect(within(row).getByText('2025-09-01')).toBeTruthy();
    expect(within(row).getByText('BT2600000101')).toBeTruthy();
    expect(within(row).getByText('已提交')).toBeTruthy();
  }, 30_000);

  it('says what is missing or malformed before sending anything', async () => {
    const sent = serve(placementsApi({ me: agencyStaff }));
    renderAt('/placements');
    const dialog = await openForm();
    // Agency staff record for their own agency: no agency to pick.
    expect(within(dialog).queryByLabelText('人力资源服务机构')).toBeNull();

    submit(dialog);
    expect(await within(dialog).findByText('请填写身份证号')).toBeTruthy();
    expect(within(dialog).getByText('请填写用人单位名称')).toBeTruthy();
    expect(within(dialog).getByText('请填写统一社会信用代码')).toBeTruthy();
    expect(within(dialog).getByText('请选择用人单位所在的县（市、区）')).toBeTruthy();
    expect(within(dialog).getByText('请选择介绍就业日期')).toBeTruthy();

    fireEvent.change(within(dialog).getByLabelText('身份证号'), {
      target: { value: '4114032000' },
    });
    fireEvent.change(within(dialog).getByLabelText('统一社会信用代码'), {
      target: { value: '9111-0000' },
    });
    expect(await within(dialog).findByText('身份证号应为 18 位，最后一位可为 X')).toBeTruthy();
    expect(
      await within(dialog).findByText('统一社会信用代码应为 18 位数字或大写字母'),
    ).toBeTruthy();
    expect(posts(sent)).toEqual([]);
  }, 30_000);

  it('sends the placement in the API’s shape and shows the claim it made', async () => {
    const sent = serve(placementsApi({ me: agencyStaff }));
    renderAt('/placements');
    const dialog = await openForm();
    fireEvent.change(within(dialog).getByLabelText('身份证号'), {
      target: { value: ` ${ID_NUMBER} ` },
    });
    fireEvent.change(within(dialog).getByLabelText('用人单位名称'), {
      target: { value: ' 商丘市恒达机械有限公司 ' },
    });
    fireEvent.change(within(dialog).getByLabelText('统一社会信用代码'), {
      target: { value: '91 110000 600037341l' },
    });
    await choose(dialog, '县（市、区）', '睢阳区');
    setDate(dialog, '介绍就业日期', '2025-09-01');
    submit(dialog);

    await waitFor(() =>
      expect(posts(sent)).toEqual([
        {
          path: '/api/placements',
          body: {
            idNumber: ID_NUMBER,
            employerUscc: USCC,
            employerName: '商丘市恒达机械有限公司',
            employerRegionCode: '411403',
            placedOn: '2025-09-01',
          },
        },
      ]),
    );
    expect(await within(dialog).findByText('已登记职业介绍')).toBeTruthy();
    expect(
      within(dialog).getByText('已生成补贴申请 BT2600000102，金额 300.00 元，等待审核。'),
    ).toBeTruthy();
  }, 30_000);

  it('has an administrator name the agency, and puts the server’s field errors on the fields', async () => {
    const sent = serve(
      placementsApi({
        me: countyAdmin,
        answer: () =>
          problem(404, 'PERSON_NOT_FOUND', 'No person is registered with this ID number', [
            { path: '/body/idNumber', message: 'unknown' },
          ]),
      }),
    );
    renderAt('/placements');
    const dialog = await openForm();
    submit(dialog);
    expect(await within(dialog).findByText('请选择人力资源服务机构')).toBeTruthy();

    await choose(dialog, '人力资源服务机构', '睢阳区人才服务中心');
    fireEvent.change(within(dialog).getByLabelText('身份证号'), { target: { value: ID_NUMBER } });
    fireEvent.change(within(dialog).getByLabelText('用人单位名称'), {
      target: { value: '商丘市恒达机械有限公司' },
    });
    fireEvent.change(within(dialog).getByLabelText('统一社会信用代码'), {
      target: { value: USCC },
    });
    await choose(dialog, '县（市、区）', '梁园区');
    setDate(dialog, '介绍就业日期', '2025-09-01');
    submit(dialog);

    expect(
      await within(dialog).findByText('未找到该身份证号登记的人员，请先登记人员信息'),
    ).toBeTruthy();
    expect(posts(sent)).toEqual([
      {
        path: '/api/placements',
        body: {
          idNumber: ID_NUMBER,
          employerUscc: USCC,
          employerName: '商丘市恒达机械有限公司',
          employerRegionCode: '411402',
          placedOn: '2025-09-01',
          agencyOrganisationId: OTHER_AGENCY_ID,
        },
      },
    ]);
  }, 30_000);
});
