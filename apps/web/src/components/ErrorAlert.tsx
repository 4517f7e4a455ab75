import { Alert, Button } from 'antd';
import { ApiError } from '../api/problem';
import { useT, type Translate } from '../i18n';

/**
 * Unit reporting's (#8) codes, each about one field: the certificate form also puts our words
 * for them on the field the error names.
 */
export const UNIT_REPORTING_CODES = [
  'PERIOD_CLOSED',
  'CERTIFICATE_ALREADY_RECORDED',
  'NAME_MISMATCH',
  'CERTIFICATE_NUMBER_REQUIRED',
  'CERTIFICATE_NUMBER_INVALID',
  'CERTIFICATE_NUMBER_TOO_LONG',
  'LEVEL_MISMATCH',
  'YEAR_MISMATCH',
  'OCCUPATION_REQUIRED',
  'OCCUPATION_CODE_INVALID',
  'OCCUPATION_UNKNOWN',
  'SKILL_LEVEL_REQUIRED',
  'SKILL_LEVEL_NOT_APPLICABLE',
  'ITEM_NAME_REQUIRED',
  'ITEM_NAME_TOO_LONG',
  'ISSUING_PROVINCE_INVALID',
  'ISSUED_IN_FUTURE',
  'VALID_UNTIL_BEFORE_ISSUE',
  'UNIT_UNKNOWN',
  'ID_NUMBER_INVALID',
] as const;

/** Error codes whose meaning is complete without the server's (English) detail. */
const TRANSLATED_CODES = [
  'INVALID_CREDENTIALS',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'PASSWORD_CHANGE_REQUIRED',
  'USERNAME_TAKEN',
  'PERSON_EXISTS',
  'REGISTRATION_MISMATCH',
  'ALREADY_REGISTERED',
  'CONFLICT',
  'OUT_OF_SCOPE',
  'RESULTS_LOCKED',
  'SCORES_INCOMPLETE',
  'CANDIDATE_EXISTS',
  'CANDIDATE_NOT_ELIGIBLE',
  'CERTIFICATE_EXISTS',
  'CERTIFICATE_SERIALS_EXHAUSTED',
  'VOUCHER_NOT_CERTIFIED',
  'CERTIFICATE_REVOKED',
  'SPECIAL_ABILITY_CODE_TAKEN',
  'QR_TOKEN_INVALID',
  'SESSION_NOT_RUNNING',
  'ALREADY_CHECKED_IN',
  'ATTENDANCE_OVERLAP',
  'NOT_A_TRAINEE',
  'NOT_CHECKED_IN',
  'CLASS_FULL',
  'CLASS_ALREADY_STARTED',
  'VOUCHER_TOKEN_INVALID',
  'VOUCHER_EXPIRED',
  'CLASS_NOT_BINDABLE',
  'VOUCHER_OCCUPATION_MISMATCH',
  'VOUCHER_STATE_CONFLICT',
  'ATTENDANCE_BELOW_THRESHOLD',
  'SAME_REVIEWER',
  'CLAIM_STATE_CONFLICT',
  'CLAIM_FLAGGED',
  'FUND_NOT_ALLOWED',
  'NOTHING_TO_PAY',
  'BATCH_NOT_EXPORTED',
  'LINE_ALREADY_SETTLED',
  'OVERPAYMENT',
  'PERSON_NOT_FOUND',
  'PLACEMENT_EXISTS',
  'TARGETS_FROM_ANNEX',
  ...UNIT_REPORTING_CODES,
] as const;

function translatedProblem(error: ApiError, t: Translate): string | undefined {
  const code = error.code;
  if (code === 'ACCOUNT_LOCKED') {
    const seconds = error.retryAfterSeconds;
    return seconds === null
      ? t('problem.ACCOUNT_LOCKED.later')
      : t('problem.ACCOUNT_LOCKED', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
  }
  const known = TRANSLATED_CODES.find((candidate) => candidate === code);
  return known ? t(`problem.${known}`) : undefined;
}

/**
 * The sentence to show a user for a failed request or a crashed page: our own words for the
 * codes we know (in the interface language), else the server's problem detail.
 */
export function describeError(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    const translated = translatedProblem(error, t);
    if (translated) return translated;
    if (error.detail) return error.detail;
    if (error.status === 0) return t('common.error.network');
    return t('common.error.http', { status: error.status });
  }
  return t('common.error.unexpected');
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.error.title')}
      description={describeError(error, t)}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
