import { Tag } from 'antd';
import type { Candidate, CandidateSource, EvaluationSession } from '../../api/evaluations';
import { ApiError } from '../../api/problem';
import { describeError } from '../../components/ErrorAlert';
import { useT, type Translate } from '../../i18n';

export const SESSION_STATES = [
  'scheduled',
  'submitted',
] as const satisfies readonly EvaluationSession['state'][];
export const CANDIDATE_SOURCES = [
  'voucher',
  'enterprise',
  'school',
  'individual',
] as const satisfies readonly CandidateSource[];

const _allSourcesListed: [Exclude<CandidateSource, (typeof CANDIDATE_SOURCES)[number]>] extends [
  never,
]
  ? true
  : false = true;

export function SessionStateTag({ session }: { session: EvaluationSession }) {
  const t = useT();
  return (
    <>
      <Tag color={session.state === 'submitted' ? 'green' : 'blue'}>
        {t(`evaluation.state.${session.state}`)}
      </Tag>
      {session.sample ? <Tag color="orange">{t('evaluation.sampled')}</Tag> : null}
    </>
  );
}

export function ResultTag({ result }: { result: Candidate['result'] }) {
  const t = useT();
  if (result === null) return <Tag>{t('evaluation.result.pending')}</Tag>;
  const colour = result === 'pass' ? 'green' : result === 'fail' ? 'red' : 'default';
  return <Tag color={colour}>{t(`evaluation.result.${result}`)}</Tag>;
}

/** 四级/中级工, or 专项职业能力 · the item. */
export function sessionLevel(session: EvaluationSession): string {
  return session.specialAbilityName
    ? `${session.skillLevelName} · ${session.specialAbilityName}`
    : session.skillLevelName;
}

/**
 * A refusal to schedule, readably: an OUT_OF_SCOPE answer names the site, occupation, level and
 * why (the approval ended, was never given, the site is suspended), so its detail is shown too.
 */
export function describeScheduleError(error: unknown, t: Translate): string {
  if (error instanceof ApiError && error.code === 'OUT_OF_SCOPE') {
    return t('problem.OUT_OF_SCOPE.detail', { detail: error.detail ?? '' });
  }
  return describeError(error, t);
}
