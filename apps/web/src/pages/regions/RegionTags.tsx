import { Tag, Tooltip } from 'antd';
import type { Region } from '../../api/types';
import { useT } from '../../i18n';

export function RegionTags({ region }: { region: Pick<Region, 'statisticsOnly' | 'isLocalUnit'> }) {
  const t = useT();
  if (!region.statisticsOnly && !region.isLocalUnit) return null;
  return (
    <>
      {region.statisticsOnly ? (
        <Tooltip title={t('regions.tag.statisticsOnly.hint')}>
          <Tag color="orange">{t('regions.tag.statisticsOnly')}</Tag>
        </Tooltip>
      ) : null}
      {region.isLocalUnit ? (
        <Tooltip title={t('regions.tag.localUnit.hint')}>
          <Tag color="purple">{t('regions.tag.localUnit')}</Tag>
        </Tooltip>
      ) : null}
    </>
  );
}
