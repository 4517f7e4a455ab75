import { CloudUploadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { Button, DatePicker, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { can } from '../../access';
import {
  periodClosed,
  trainingReportQueries,
  useTrainingReports,
  type ReportStatus,
  type TrainingReport,
} from '../../api/activityTrainings';
import { useUnits } from '../../api/queries';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { listPagination } from '../../components/pagination';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { ReportTrainingModal, reportableUnits } from './ReportTrainingModal';
import { periodOf, SourceTag, StatusTag } from './trainingCatalog';
import { TrainingReportDrawer } from './TrainingReportDrawer';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };
const STATUSES: readonly ReportStatus[] = ['active', 'withdrawn'];
const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

function isStatus(value: string | null): value is ReportStatus {
  return STATUSES.some((status) => status === value);
}

/**
 * 培训记录: the training reports in the caller's scope (a unit its own, a county its county
 * units', an institution those it held, the city all), filtered by month, status and unit with
 * the filters and page in the address; 填报培训 and a link to the bulk import for those who report.
 */
export function TrainingReportsTab() {
  const t = useT();
  const me = useAccount();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const rawPeriod = params.get('period');
  const period = rawPeriod !== null && PERIOD.test(rawPeriod) ? rawPeriod : undefined;
  const rawStatus = params.get('status');
  const status = isStatus(rawStatus) ? rawStatus : undefined;
  const pickUnit = me.scope.kind !== 'unit';
  const unitId = pickUnit ? (params.get('unitId') ?? undefined) : undefined;
  const [reporting, setReporting] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const reports = can(me, 'activity.report');

  const { data, error, isFetching, refetch } = useTrainingReports({
    page,
    pageSize,
    ...(period ? { period } : {}),
    ...(status ? { status } : {}),
    ...(unitId ? { unitId } : {}),
  });
  const units = useUnits({ withoutTarget: true });
  const items = data?.items ?? [];
  // The months of the years on screen, to mark the closed ones.
  const years = [...new Set(items.map((report) => Number(report.period.slice(0, 4))))];
  const months = useQueries({
    queries: years.map((year) => trainingReportQueries.periods(year)),
  });
  const closed = (report: TrainingReport) =>
    months.some((result) => periodClosed(result.data, report.period) === true);

  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));
  const filter = (changes: Record<string, string | undefined>) =>
    update({ ...changes, page: undefined });

  const columns: TableColumnsType<TrainingReport> = [
    {
      title: t('trainingReport.title'),
      key: 'title',
      render: (_, report) => (
        <Typography.Link onClick={() => setOpenId(report.id)}>{report.title}</Typography.Link>
      ),
    },
    ...(pickUnit
      ? [
          {
            title: t('trainingReport.unit'),
            dataIndex: 'unitName',
            responsive: ['md'],
          } satisfies TableColumnsType<TrainingReport>[number],
        ]
      : []),
    {
      title: t('trainingReport.plan'),
      dataIndex: 'planNo',
      responsive: ['lg'],
      render: (value: number | null) => value ?? t('common.none'),
    },
    {
      title: t('trainingReport.occupation'),
      key: 'occupation',
      render: (_, report) =>
        report.occupationCode
          ? `${report.occupationName ?? report.occupationCode}`
          : t('common.none'),
    },
    {
      title: t('trainingReport.skillLevel'),
      dataIndex: 'skillLevelKey',
      responsive: ['lg'],
      render: (value: string | null) => value ?? t('common.none'),
    },
    {
      title: t('trainingReport.dates'),
      key: 'dates',
      render: (_, report) => `${report.startOn} ~ ${report.endOn}`,
    },
    { title: t('trainingReport.hours'), dataIndex: 'hours' },
    {
      title: t('trainingReport.trainees'),
      key: 'trainees',
      render: (_, report) =>
        t('trainingReport.traineeCount', {
          completed: report.completedCount,
          total: report.traineeCount,
        }),
    },
    {
      title: t('trainingReport.source'),
      dataIndex: 'source',
      render: (_, report) => <SourceTag source={report.source} />,
    },
    {
      title: t('trainingReport.status'),
      dataIndex: 'status',
      render: (_, report) => <StatusTag status={report.status} />,
    },
    {
      title: t('trainingReport.period'),
      dataIndex: 'period',
      render: (_, report) => (
        <Space size={4}>
          {report.period}
          {closed(report) ? <Tag>{t('trainingReport.period.closed')}</Tag> : null}
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('trainingReport.lead')}
      </Typography.Paragraph>
      <Flex gap={8} wrap justify="space-between">
        <Flex gap={8} wrap>
          <DatePicker
            picker="month"
            aria-label={t('trainingReport.filter.period')}
            placeholder={t('trainingReport.filter.period')}
            value={period ? dayjs(`${period}-01`) : null}
            onChange={(value) => filter({ period: value ? periodOf(value) : undefined })}
          />
          <Select<ReportStatus>
            allowClear
            style={{ minWidth: 140 }}
            aria-label={t('trainingReport.status')}
            placeholder={t('trainingReport.filter.status')}
            value={status}
            onChange={(value) => filter({ status: value })}
            options={STATUSES.map((value) => ({
              value,
              label: t(`trainingReport.status.${value}`),
            }))}
          />
          {pickUnit ? (
            <Select<string>
              allowClear
              style={{ minWidth: 220 }}
              aria-label={t('trainingReport.unit')}
              placeholder={t('trainingReport.filter.unit')}
              loading={units.isPending}
              showSearch={{ optionFilterProp: 'label' }}
              value={unitId}
              onChange={(value) => filter({ unitId: value })}
              options={reportableUnits(me, units.data?.items ?? []).map((unit) => ({
                value: unit.id,
                label: unit.canonicalName,
              }))}
            />
          ) : null}
        </Flex>
        {reports ? (
          <Flex gap={8} wrap>
            <Button
              icon={<CloudUploadOutlined />}
              href="/imports?kind=training_reports"
              onClick={(event) => {
                event.preventDefault();
                void navigate('/imports?kind=training_reports');
              }}
            >
              {t('trainingReport.bulk')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setReporting(true)}>
              {t('trainingReport.new')}
            </Button>
          </Flex>
        ) : null}
      </Flex>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<TrainingReport>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('trainingReport.empty') }}
        pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
      />
      {reports ? (
        <ReportTrainingModal me={me} open={reporting} onClose={() => setReporting(false)} />
      ) : null}
      <TrainingReportDrawer me={me} id={openId} onClose={() => setOpenId(null)} />
    </Space>
  );
}
