// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Candidate, Certificate, SessionDetail } from '../../api/evaluations';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const SESSION_ID = '01a22256-5555-7267-86fe-cdd2f59e4c8d';
const ORG_ID = '01a22256-0000-7267-86fe-cdd2f59e4c8d';

const evaluator: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'pingjia',
  displayName: '评价中心考务',
  role: 'evaluation_staff',
  scope: { kind: 'organisation', organisationId: ORG_ID },
  permissions: ['evaluations.read', 'evaluations.manage', 'certificates.read'],
  mustChangePassword: false,
};

const candidate = (id: string, name: string, masked: string): Candidate => ({
  id,
  sessionId: SESSION_ID,
  personId: `${id.slice(0, -4)}9999`,
  holderName: name,
  holderIdNumberMasked: masked,
  source: 'individual',
  voucherId: null,
  employerOrganisationId: null,
  schoolName: null,
  workerPaid: false,
  feePaidFen: null,
  theoryScore: null,
  practicalScore: null,
  result: null,
  certificateId: null,
  createdAt: '2026-03-01T01:00:00.000Z',
  updatedAt: '2026-03-01T01:00:00.000Z',
});

const ZHANG = candidate('01a22256-c001-7267-86fe-cdd2f59e0001', '张三明', '411402********1234');
const LI = candidate('01a22256-c002-7267-86fe-cdd2f59e0002', '李四', '411403********0027');

const certificateOf = (c: Candidate): Certificate => ({
  id: '01a22256-ce01-7267-86fe-cdd2f59e4c8d',
  number: 'S000041123456264000001',
  kind: 'skill_level',
  personId: c.personId,
  holderName: c.holderName,
  holderIdNumberMasked: c.holderIdNumberMasked,
  occupationCode: '4-03-02-01',
  occupationLevel: 4,
  occupationName: '中式烹调师',
  skillLevelKey: 'level4',
  skillLevelName: '四级/中级工',
  specialAbilityId: null,
  specialAbilityName: null,
  organisationId: ORG_ID,
  issuerName: '商丘市职业技能评价中心',
  siteId: '01a22256-5173-7267-86fe-cdd2f59e4c8d',
  siteName: '梁园站点',
  issuingProvinceCode: '41',
  sessionId: SESSION_ID,
  sessionHeldOn: '2026-03-01',
  candidateId: c.id,
  issuedOn: '2026-03-01',
  status: 'valid',
  revokedAt: null,
  revocationReason: null,
  statusListIndex: 7,
  regionCode: '411402',
  source: 'evaluation',
  createdAt: '2026-03-01T08:00:00.000Z',
  updatedAt: '2026-03-01T08:00:00.000Z',
});

function sessionWith(candidates: Candidate[], submitted = false): SessionDetail {
  return {
    id: SESSION_ID,
    organisationId: ORG_ID,
    organisationName: '商丘市职业技能评价中心',
    siteId: '01a22256-5173-7267-86fe-cdd2f59e4c8d',
    siteName: '梁园站点',
    siteSerialCode: '123456',
    scopeId: '01a22256-5c0e-7267-86fe-cdd2f59e4c8d',
    occupationCode: '4-03-02-01',
    occupationLevel: 4,
    occupationName: '中式烹调师',
    skillLevelKey: 'level4',
    skillLevelName: '四级/中级工',
    specialAbilityId: null,
    specialAbilityName: null,
    heldOn: '2026-03-01',
    hasTheory: true,
    theoryPassMark: 60,
    practicalPassMark: 70,
    state: submitted ? 'submitted' : 'scheduled',
    regionCode: '411402',
    submittedAt: submitted ? '2026-03-01T08:00:00.000Z' : null,
    sample: null,
    candidateCount: candidates.length,
    createdAt: '2026-02-20T01:00:00.000Z',
    updatedAt: '2026-02-20T01:00:00.000Z',
    candidates,
    certificates: submitted
      ? candidates.filter((c) => c.result === 'pass').map((c) => certificateOf(c))
      : [],
  };
}

/** A server that applies the pass rule (every part at or above its mark) like the real one. */
function evaluationApi(): Handle {
  let candidates = [ZHANG, LI];
  let submitted = false;
  return ({ method, url, body }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(evaluator);
    if (method === 'GET' && path === `/api/evaluation-sessions/${SESSION_ID}`) {
      return json(sessionWith(candidates, submitted));
    }
    const scores = /^\/api\/evaluation-sessions\/[^/]+\/candidates\/([^/]+)\/scores$/.exec(path);
    if (method === 'PUT' && scores) {
      const input = body as {
        theoryScore: number | null;
        practicalScore: number | null;
        absent: boolean;
      };
      const result: Candidate['result'] = input.absent
        ? 'absent'
        : input.theoryScore === null || input.practicalScore === null
          ? null
          : input.theoryScore >= 60 && input.practicalScore >= 70
            ? 'pass'
            : 'fail';
      candidates = candidates.map((c) =>
        c.id === scores[1]
          ? { ...c, theoryScore: input.theoryScore, practicalScore: input.practicalScore, result }
          : c,
      );
      return json(candidates.find((c) => c.id === scores[1]));
    }
    if (method === 'POST' && path === `/api/evaluation-sessions/${SESSION_ID}/submit`) {
      if (candidates.some((c) => c.result === null)) {
        return problem(409, 'SCORES_INCOMPLETE', 'Some candidates are not scored');
      }
      submitted = true;
      const detail = sessionWith(candidates, true);
      return json({ session: detail, issued: detail.certificates, alreadyCertified: [] });
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

describe('score entry', () => {
  it('saves scores and absences, shows the server’s result, and locks on submission', async () => {
    const sent = serve(evaluationApi());
    renderAt(`/evaluations/${SESSION_ID}`);

    // The pass marks are shown where the scores are entered.
    expect((await screen.findAllByText('理论（合格 60）')).length).toBeGreaterThan(0);
    expect(screen.getAllByText('实操（合格 70）').length).toBeGreaterThan(0);
    expect(await screen.findByText('411402********1234')).toBeTruthy();

    // Submitting too early is refused in words.
    fireEvent.click(screen.getByRole('button', { name: /提交结果/ }));
    let dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/成绩将被锁定/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: /提交结果/ }));
    expect(await screen.findByText('还有考生未录入成绩或未标记缺考，不能提交。')).toBeTruthy();

    // 张三明: 75 and 68 — the practical part misses its mark of 70.
    fireEvent.change(screen.getByLabelText('张三明的理论成绩'), { target: { value: '75' } });
    fireEvent.change(screen.getByLabelText('张三明的实操成绩'), { target: { value: '68' } });
    fireEvent.click(screen.getByRole('button', { name: '保存张三明的成绩' }));
    expect(await screen.findByText('不合格')).toBeTruthy();

    // … corrected to 70: the mark itself passes.
    fireEvent.change(screen.getByLabelText('张三明的实操成绩'), { target: { value: '70' } });
    fireEvent.click(screen.getByRole('button', { name: '保存张三明的成绩' }));
    expect(await screen.findByText('合格')).toBeTruthy();

    // 李四 did not come.
    fireEvent.click(screen.getByLabelText('李四缺考'));
    fireEvent.click(screen.getByRole('button', { name: '保存李四的成绩' }));
    await waitFor(() => expect(screen.getAllByText('缺考').length).toBeGreaterThan(1));

    const puts = sent.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.body)).toEqual([
      { absent: false, theoryScore: 75, practicalScore: 68 },
      { absent: false, theoryScore: 75, practicalScore: 70 },
      { absent: true, theoryScore: null, practicalScore: null },
    ]);
    expect(puts[0]?.path).toBe(
      `/api/evaluation-sessions/${SESSION_ID}/candidates/${ZHANG.id}/scores`,
    );

    fireEvent.click(screen.getByRole('button', { name: /提交结果/ }));
    await waitFor(() => expect(screen.getAllByRole('dialog').length).toBeGreaterThan(0));
    dialog = screen.getAllByRole('dialog').at(-1) as HTMLElement;
    fireEvent.click(within(dialog).getByRole('button', { name: /提交结果/ }));

    expect(await screen.findByText('S000041123456264000001')).toBeTruthy();
    expect(screen.getByText('结果已提交并锁定。')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /提交结果/ })).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('张三明的理论成绩').disabled).toBe(true);
    const submits = sent.filter((r) => r.method === 'POST' && r.path.endsWith('/submit'));
    expect(submits).toHaveLength(2);
  }, 60_000);
});
