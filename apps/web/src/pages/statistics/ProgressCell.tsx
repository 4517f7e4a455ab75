import { Flex, Progress, Tag, Tooltip } from 'antd';
import type { MeasureProgress } from '../../api/statistics';
import { useT } from '../../i18n';
import { percent, STATUS_COLORS } from './statisticsFormat';

/**
 * Progress against the target as a bar with a marker at the share of the period elapsed, the
 * percentage and 超进度 / 滞后 (no bar without a target).
 */
export function ProgressCell({
  progress,
  status,
  elapsedShare,
}: Pick<MeasureProgress, 'progress' | 'status'> & { elapsedShare: number }) {
  const t = useT();
  if (progress === null) return <Tag>{t('stats.status.no_target')}</Tag>;
  return (
    <Flex vertical gap={2} style={{ minWidth: 120 }}>
      <Tooltip title={t('stats.elapsedMarker', { elapsed: percent(elapsedShare) })}>
        <div style={{ position: 'relative' }}>
          <Progress
            percent={Math.min(progress, 1) * 100}
            showInfo={false}
            size="small"
            status={status === 'behind' ? 'exception' : 'success'}
            style={{ margin: 0 }}
          />
          <span
            aria-hidden
            style={{
              position: 'absolute',
              top: 0,
              bottom: 0,
              left: `${Math.min(elapsedShare, 1) * 100}%`,
              borderInlineStart: '2px solid rgba(0, 0, 0, 0.65)',
            }}
          />
        </div>
      </Tooltip>
      <Flex gap={4} align="center">
        <span>{percent(progress)}</span>
        <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
          {t(`stats.status.${status}`)}
        </Tag>
      </Flex>
    </Flex>
  );
}
