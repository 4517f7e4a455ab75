import { Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import type { ActivitySource, ReportStatus, TraineeOutcome } from '../../api/activityTrainings';
import { localizeFieldMessage } from '../../forms/fieldErrors';
import { useT, type Translate } from '../../i18n';

const SOURCE_COLORS: Record<ActivitySource, string> = {
  unit_report: 'blue',
  import: 'purple',
  api: 'cyan',
};

/** Where a report came from: 单位填报, 批量导入 or 接口. */
export function SourceTag({ source }: { source: ActivitySource }) {
  const t = useT();
  return <Tag color={SOURCE_COLORS[source]}>{t(`trainingReport.source.${source}`)}</Tag>;
}

export function StatusTag({ status }: { status: ReportStatus }) {
  const t = useT();
  return (
    <Tag color={status === 'active' ? 'green' : 'default'}>
      {t(`trainingReport.status.${status}`)}
    </Tag>
  );
}

/** `YYYY-MM`, the month a report counts in, from a month picker's value. */
export function periodOf(value: Dayjs): string {
  return value.format('YYYY-MM');
}

const OUTCOME_CODES = [
  'ID_NUMBER_INVALID',
  'NAME_MISMATCH',
  'DUPLICATE_IN_REQUEST',
  'CONCURRENT_REGISTRATION',
] as const;
const TRAINING_PROBLEMS = ['END_BEFORE_START', 'END_IN_FUTURE', 'HOURS_INVALID'] as const;

/** Why a trainee was not accepted, in the interface language. */
export function outcomeReason(outcome: Pick<TraineeOutcome, 'code' | 'message'>, t: Translate) {
  if (outcome.code) return t(`trainingReport.outcome.code.${outcome.code}`);
  return outcome.message ?? '';
}

/**
 * A field message of the training-report API in our words: its date and hours problems come as
 * `CODE: text`, a trainee's rejection as `CODE: text` too; catalog misses as English sentences.
 */
export function localizeTrainingMessage(message: string, t: Translate, field?: string): string {
  const code = /^([A-Z_]+):/.exec(message)?.[1];
  const problem = TRAINING_PROBLEMS.find((candidate) => candidate === code);
  if (problem) return t(`trainingReport.problem.${problem}`);
  const rejection = OUTCOME_CODES.find((candidate) => candidate === code);
  if (rejection) return t(`trainingReport.outcome.code.${rejection}`);
  if (/^no occupation/.test(message)) return t('trainingReport.field.occupationUnknown');
  if (/^no plan has this number$/.test(message)) return t('trainingReport.field.planUnknown');
  return localizeFieldMessage(message, t, field);
}
