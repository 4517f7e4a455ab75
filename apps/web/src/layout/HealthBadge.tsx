import { Badge, Typography } from 'antd';
import { useHealth } from '../api/queries';
import { useT } from '../i18n';

/** A quiet status line: whether the API (and its database) answers, and which version. */
export function HealthBadge() {
  const t = useT();
  const { data, isError, isPending } = useHealth();
  if (isPending) return null;
  const status = isError ? 'error' : data.status === 'ok' ? 'success' : 'warning';
  const label = isError
    ? t('app.health.unreachable')
    : data.status === 'ok'
      ? t('app.health.ok')
      : t('app.health.degraded');
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      <Badge status={status} /> {label}
      {data ? ` · ${t('app.health.version', { version: data.version })}` : null}
    </Typography.Text>
  );
}
