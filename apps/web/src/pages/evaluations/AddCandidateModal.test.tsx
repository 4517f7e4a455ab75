// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EligibleClass, FromClassResult } from '../../api/evaluations';
import { AppProviders, createQueryClient } from '../../AppProviders';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, serve, type Handle } from '../../test/fakeServer';
import { AddCandidateModal } from './AddCandidateModal';

const SESSION_ID = '01a22256-5555-7267-86fe-cdd2f59e4c8d';
const CLASS_ID = '01a22256-c1a5-7267-86fe-cdd2f59e4c8d';

const eligibleClass: EligibleClass = {
  id: CLASS_ID,
  name: '中式烹调师（四级）2026第3期',
  organisationName: '商丘市烹饪职业培训学校',
  regionCode: '411402',
  regionName: '梁园区',
  skillLevelKey: 'level4',
  startsAt: '2026-01-05T01:00:00.000Z',
  endsAt: '2026-02-10T09:00:00.000Z',
  startDate: '2026-01-05',
  endDate: '2026-02-10',
  pendingTrainees: 3,
};

const OPTION =
  '中式烹调师（四级）2026第3期 · 商丘市烹饪职业培训学校 · 结业 2026-02-10 · 3 人待评价';

function modalApi(items: EligibleClass[]): Handle {
  return ({ method, url }) => {
    const path = url.pathname;
    if (method === 'GET' && path === `/api/evaluation-sessions/${SESSION_ID}/eligible-classes`) {
      return json({ items });
    }
    if (
      method === 'POST' &&
      path === `/api/evaluation-sessions/${SESSION_ID}/candidates/from-class`
    ) {
      const result: FromClassResult = {
        added: 2,
        skipped: [
          {
            personId: '01a22256-0001-7267-86fe-cdd2f59e4c8d',
            voucherId: '01a22256-0002-7267-86fe-cdd2f59e4c8d',
            reason: 'already a candidate',
          },
        ],
        candidates: [],
      };
      return json(result);
    }
    return undefined;
  };
}

function renderModal() {
  return render(
    <AppProviders queryClient={createQueryClient()} initialLocale="zh-CN">
      <AddCandidateModal sessionId={SESSION_ID} open onClose={() => undefined} />
    </AppProviders>,
  );
}

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('adding candidates from a class', { timeout: 30_000 }, () => {
  it('picks an eligible class from a list and shows what was added and skipped', async () => {
    const sent = serve(modalApi([eligibleClass]));
    renderModal();
    fireEvent.click(await screen.findByRole('tab', { name: '从培训班导入' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.mouseDown(await within(dialog).findByLabelText('培训班'));
    const options = await screen.findAllByTitle(OPTION);
    fireEvent.click(options[options.length - 1] as HTMLElement);
    fireEvent.click(within(dialog).getByRole('button', { name: /^添\s?加$/ }));
    expect(await screen.findByText(/已添加 2 人，跳过 1 人。/)).toBeTruthy();
    expect(screen.getByText(/already a candidate/)).toBeTruthy();
    const posts = sent.filter((r) => r.method === 'POST');
    expect(posts).toEqual([
      {
        method: 'POST',
        path: `/api/evaluation-sessions/${SESSION_ID}/candidates/from-class`,
        body: { classId: CLASS_ID },
      },
    ]);
    // The list is fetched again, so the class now shows what remains.
    await waitFor(() =>
      expect(sent.filter((r) => r.path.endsWith('/eligible-classes')).length).toBeGreaterThan(1),
    );
  });

  it('says why nothing can be imported when no class is eligible', async () => {
    const sent = serve(modalApi([]));
    renderModal();
    fireEvent.click(await screen.findByRole('tab', { name: '从培训班导入' }));
    expect(await screen.findByText(/暂无可导入的培训班/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /^添\s?加$/ }));
    expect(await screen.findByText('必填')).toBeTruthy();
    expect(sent.filter((r) => r.method === 'POST')).toEqual([]);
  });
});
