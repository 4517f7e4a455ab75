// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const ORG_ID = '01a22256-0000-7267-86fe-cdd2f59e4c8d';
const SITE_ID = '01a22256-5173-7267-86fe-cdd2f59e4c8d';
const REASON =
  '考点123456 not approved for 家政服务员 (4-10-01-01) at 四级/中级工 on 2026-03-20: the approval ended on 2026-02-28';

const evaluator: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'pingjia',
  displayName: '评价中心考务',
  role: 'evaluation_staff',
  scope: { kind: 'organisation', organisationId: ORG_ID },
  permissions: ['evaluations.read', 'evaluations.manage', 'organisations.read'],
  mustChangePassword: false,
};

function evaluationsApi(): Handle {
  return ({ method, url }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(evaluator);
    if (method === 'GET' && path === '/api/evaluation-sessions') {
      return json({ items: [], total: 0, page: 1, pageSize: 20 });
    }
    if (path === `/api/organisations/${ORG_ID}/sites`) {
      return json({
        items: [
          {
            id: SITE_ID,
            organisationId: ORG_ID,
            name: '考点123456',
            serialCode: '123456',
            regionCode: '411402',
            address: null,
            status: 'active',
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
          },
        ],
      });
    }
    if (path === '/api/skill-levels') {
      return json({
        items: [
          { key: 'level4', name: '四级/中级工', nameEn: 'Level 4' },
          { key: 'level3', name: '三级/高级工', nameEn: 'Level 3' },
        ],
      });
    }
    if (path === '/api/occupations') {
      return json({
        items: [{ code: '4-10-01-01', name: '家政服务员', level: 4 }],
        total: 1,
        page: 1,
        pageSize: 20,
      });
    }
    if (method === 'POST' && path === '/api/evaluation-sessions') {
      return problem(403, 'OUT_OF_SCOPE', REASON);
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

describe('scheduling a session', () => {
  it('shows why a site may not evaluate an occupation and level on that day', async () => {
    const sent = serve(evaluationsApi());
    renderAt('/evaluations');
    fireEvent.click(await screen.findByRole('button', { name: /安排评价/ }));
    const dialog = await screen.findByRole('dialog');

    await choose(dialog, '评价站点', '考点123456（123456）');
    await choose(dialog, '职业（工种）', '4-10-01-01 家政服务员');
    setDate(dialog, '评价日期', '2026-03-20');
    fireEvent.click(within(dialog).getByRole('button', { name: /安\s*排/ }));

    expect(await within(dialog).findByText('不能安排这次评价')).toBeTruthy();
    expect(
      within(dialog).getByText(`该站点在所选日期未获批评价此职业和等级：${REASON}`),
    ).toBeTruthy();
    const posts = sent.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toEqual({
      siteId: SITE_ID,
      occupationCode: '4-10-01-01',
      skillLevelKey: 'level4',
      specialAbilityId: null,
      heldOn: '2026-03-20',
    });
  }, 60_000);
});
