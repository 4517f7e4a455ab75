import { LockOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';
import { can } from '../../access';
import {
  activityIntakeApi,
  useActivityPeriods,
  type ActivityPeriod,
} from '../../api/activityIntake';
import { useAccount } from '../../auth/session';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import { mergeSearchParams } from '../../routing/searchParams';
import { shanghaiMonth } from '../../format';
import { periodBegun } from './intakeCatalog';

const YEAR = /^(20[0-9]{2}|2100)$/;

function formatInstant(iso: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/**
 * 填报关账: the twelve months of a year, open or closed (by whom, when). The city closes a month
 * once its figures are reported upward; a closed month is never reopened.
 */
export default function ActivityPeriodsPage() {
  const t = useT();
  const me = useAccount();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const rawYear = params.get('year') ?? '';
  const thisYear = Number(shanghaiMonth().slice(0, 4));
  const year = YEAR.test(rawYear) ? Number(rawYear) : thisYear;
  const { data, error, isFetching, refetch } = useActivityPeriods(year);
  const close = useMutation({
    mutationFn: (period: string) =>
      activityIntakeApi.closePeriod(period, globalThis.crypto.randomUUID()),
    onSuccess: (closed) => {
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
      void message.success(t('activityPeriods.closedNow', { period: closed.period }));
    },
    onError: (failure) => void message.error(describeError(failure, t)),
  });
  const mayClose = can(me, 'activity.periods.close');
  const confirmClose = (period: string) =>
    modal.confirm({
      title: t('activityPeriods.confirm.title', { period }),
      content: t('activityPeriods.confirm.content', { period }),
      okText: t('activityPeriods.confirm.ok'),
      okButtonProps: { danger: true },
      onOk: () => close.mutateAsync(period).catch(() => undefined),
    });

  const columns: TableColumnsType<ActivityPeriod> = [
    { title: t('activityPeriods.month'), dataIndex: 'period' },
    {
      title: t('activityPeriods.status'),
      key: 'status',
      render: (_, p) =>
        p.closed ? (
          <Tag color="red" icon={<LockOutlined />}>
            {t('activityPeriods.closed')}
          </Tag>
        ) : periodBegun(p.period) ? (
          <Tag color="green">{t('activityPeriods.open')}</Tag>
        ) : (
          <Tag>{t('activityPeriods.notBegun')}</Tag>
        ),
    },
    {
      title: t('activityPeriods.closedBy'),
      key: 'closedBy',
      render: (_, p) => p.closedByName ?? (p.closed ? p.closedBy : null),
    },
    {
      title: t('activityPeriods.closedAt'),
      key: 'closedAt',
      render: (_, p) => (p.closedAt ? formatInstant(p.closedAt) : null),
    },
    ...(mayClose
      ? [
          {
            title: '',
            key: 'actions',
            render: (_: unknown, p: ActivityPeriod) =>
              p.closed || !periodBegun(p.period) ? null : (
                <Button
                  size="small"
                  danger
                  aria-label={`${t('activityPeriods.close')} ${p.period}`}
                  loading={close.isPending && close.variables === p.period}
                  onClick={() => confirmClose(p.period)}
                >
                  {t('activityPeriods.close')}
                </Button>
              ),
          } satisfies TableColumnsType<ActivityPeriod>[number],
        ]
      : []),
  ];

  return (
    <>
      <PageTitle titleKey="activityPeriods.title" descriptionKey="activityPeriods.description" />
      <Space orientation="vertical" style={{ width: '100%' }}>
        <DatePicker
          aria-label={t('activityPeriods.year')}
          picker="year"
          allowClear={false}
          value={dayjs(`${year}-01-01`)}
          onChange={(value) =>
            setParams((current) =>
              mergeSearchParams(
                current,
                { year: value ? Number(value.format('YYYY')) : undefined },
                { year: thisYear },
              ),
            )
          }
        />
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<ActivityPeriod>
          rowKey="period"
          size="middle"
          columns={columns}
          dataSource={data?.months ?? []}
          loading={isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Space>
    </>
  );
}
