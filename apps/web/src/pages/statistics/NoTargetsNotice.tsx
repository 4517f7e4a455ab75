import { Alert } from 'antd';
import { Link } from 'react-router';
import { can } from '../../access';
import { useAccount } from '../../auth/session';
import { useT } from '../../i18n';

/**
 * Said when no unit has targets for the year (only 2022's come from the annexes): figures still
 * count, but progress and ranks wait for the targets — with the way to enter them for those who may.
 */
export function NoTargetsNotice({
  year,
  units,
}: {
  year: number;
  units: ReadonlyArray<{ targetSource: string | null }>;
}) {
  const t = useT();
  const me = useAccount();
  if (units.some((u) => u.targetSource !== null)) return null;
  return (
    <Alert
      type="info"
      showIcon
      title={t('stats.noTargetsYet', { year })}
      action={
        can(me, 'targets.manage') ? (
          <Link to={`/targets/manage?year=${year}`}>{t('stats.enterTargets')}</Link>
        ) : undefined
      }
    />
  );
}
