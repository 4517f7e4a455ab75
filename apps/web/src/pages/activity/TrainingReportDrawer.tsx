import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Flex, Space, Spin, Table, Tag } from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { useState } from 'react';
import {
  periodClosed,
  trainingReportsApi,
  useReportingMonths,
  useTrainingReport,
  type TrainingReport,
  type TrainingReportDetail,
} from '../../api/activityTrainings';
import type { Me } from '../../api/types';
import { can } from '../../access';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ReasonModal } from '../../components/ReasonModal';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { ReportTrainingModal } from './ReportTrainingModal';
import { SourceTag, StatusTag } from './trainingCatalog';

type DetailTrainee = TrainingReportDetail['trainees'][number];

/** 撤回: a reason is required; the report stops counting but stays on record. */
function WithdrawModal({
  report,
  open,
  onClose,
}: {
  report: TrainingReport;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  return (
    <ReasonModal
      open={open}
      name="withdrawTraining"
      title={t('trainingReport.withdraw.title', { title: report.title })}
      okText={t('trainingReport.withdraw.ok')}
      cancelText={t('trainingReport.form.cancel')}
      reasonLabel={t('trainingReport.withdraw.reason')}
      reasonRequired={t('trainingReport.withdraw.reason.required')}
      submit={(reason, key) => trainingReportsApi.withdraw(report.id, reason, key)}
      onDone={() => {
        void queryClient.invalidateQueries({ queryKey: ['training_reports'] });
        void queryClient.invalidateQueries({ queryKey: ['activity', 'totals'] });
      }}
      onClose={onClose}
    />
  );
}

/**
 * One training report with its trainees (masked ID numbers), and — while its month is open and
 * the caller reports — 更正 and 撤回. A closed month says so and offers neither.
 */
export function TrainingReportDrawer({
  me,
  id,
  onClose,
}: {
  me: Me;
  id: string | null;
  onClose: () => void;
}) {
  const t = useT();
  const detail = useTrainingReport(id);
  const report = detail.data;
  const year = report ? Number(report.period.slice(0, 4)) : null;
  const months = useReportingMonths(year);
  const closed = report ? periodClosed(months.data, report.period) === true : false;
  const [correcting, setCorrecting] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const mayChange =
    can(me, 'activity.report') && report?.status === 'active' && !closed && months.isSuccess;

  const items: DescriptionsProps['items'] = report
    ? [
        { key: 'unit', label: t('trainingReport.unit'), children: report.unitName },
        {
          key: 'plan',
          label: t('trainingReport.plan'),
          children: report.planNo ?? t('common.none'),
        },
        {
          key: 'occupation',
          label: t('trainingReport.occupation'),
          children: report.occupationCode
            ? `${report.occupationCode} ${report.occupationName ?? ''}`
            : t('common.none'),
        },
        {
          key: 'level',
          label: t('trainingReport.skillLevel'),
          children: report.skillLevelKey ?? t('common.none'),
        },
        {
          key: 'dates',
          label: t('trainingReport.dates'),
          children: `${report.startOn} ~ ${report.endOn}`,
        },
        { key: 'hours', label: t('trainingReport.hours'), children: report.hours },
        {
          key: 'period',
          label: t('trainingReport.period'),
          children: (
            <Space size={4}>
              {report.period}
              {closed ? <Tag>{t('trainingReport.period.closed')}</Tag> : null}
            </Space>
          ),
        },
        {
          key: 'source',
          label: t('trainingReport.source'),
          children: <SourceTag source={report.source} />,
        },
        {
          key: 'status',
          label: t('trainingReport.status'),
          children: <StatusTag status={report.status} />,
        },
        {
          key: 'reportedAt',
          label: t('trainingReport.detail.reportedAt'),
          children: formatDateTime(report.createdAt),
        },
        {
          key: 'updatedAt',
          label: t('trainingReport.detail.updatedAt'),
          children: formatDateTime(report.updatedAt),
        },
        { key: 'version', label: t('trainingReport.detail.version'), children: report.version },
      ]
    : [];

  const columns: TableColumnsType<DetailTrainee> = [
    { title: t('trainingReport.trainees.name'), dataIndex: 'name' },
    {
      title: t('trainingReport.trainees.idNumber'),
      dataIndex: 'idNumberMasked',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    {
      title: t('trainingReport.trainees.completed'),
      dataIndex: 'completed',
      render: (value: boolean) =>
        value ? (
          <Tag color="green">{t('trainingReport.completed.yes')}</Tag>
        ) : (
          <Tag>{t('trainingReport.completed.no')}</Tag>
        ),
    },
  ];

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={720}
      title={report?.title ?? t('trainingReport.detail.title')}
      destroyOnHidden
      extra={
        report && can(me, 'activity.report') && report.status === 'active' ? (
          <Flex gap={8}>
            <Button disabled={!mayChange} onClick={() => setCorrecting(true)}>
              {t('trainingReport.correct')}
            </Button>
            <Button danger disabled={!mayChange} onClick={() => setWithdrawing(true)}>
              {t('trainingReport.withdraw')}
            </Button>
          </Flex>
        ) : null
      }
    >
      {detail.error ? (
        <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />
      ) : !report ? (
        <Spin />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {closed ? (
            <Alert type="warning" showIcon title={t('trainingReport.detail.closed')} />
          ) : null}
          {report.status === 'withdrawn' ? (
            <Alert type="info" showIcon title={t('trainingReport.detail.withdrawn')} />
          ) : null}
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} items={items} />
          <Table<DetailTrainee>
            rowKey="personId"
            size="small"
            columns={columns}
            dataSource={report.trainees}
            pagination={report.trainees.length > 20 ? { pageSize: 20 } : false}
            scroll={{ x: 'max-content' }}
          />
          {mayChange ? (
            <>
              <ReportTrainingModal
                me={me}
                open={correcting}
                report={report}
                onClose={() => setCorrecting(false)}
                onStale={() => void detail.refetch()}
              />
              <WithdrawModal
                report={report}
                open={withdrawing}
                onClose={() => setWithdrawing(false)}
              />
            </>
          ) : null}
        </Space>
      )}
    </Drawer>
  );
}
