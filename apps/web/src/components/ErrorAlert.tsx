import { Alert, Button } from 'antd';
import { ApiError } from '../api/problem';
import { useT, type Translate } from '../i18n';

/** The sentence to show a user for a failed request or a crashed page. */
export function describeError(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
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
