import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  DatePicker,
  Drawer,
  Flex,
  Form,
  Modal,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { can } from '../../access';
import {
  REPORT_KINDS,
  statisticsApi,
  useReport,
  useReports,
  type ReportKind,
  type ReportSummary,
} from '../../api/statistics';
import { useAccount } from '../../auth/session';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { listPagination } from '../../components/pagination';
import { formatDateTime, shanghaiToday } from '../../format';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { ReportView } from './ReportView';
import { selectableYears } from './statisticsFormat';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };

interface GenerateValues {
  kind: ReportKind;
  date?: Dayjs;
}

/** 生成报表: a report of `kind` for the period containing `date` (default today). */
function GenerateModal({
  open,
  onClose,
  onGenerated,
}: {
  open: boolean;
  onClose: () => void;
  onGenerated: (id: string) => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<GenerateValues>();
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const today = shanghaiToday();
  const generate = useMutation({
    mutationFn: (values: GenerateValues) =>
      statisticsApi.generateReport(
        {
          kind: values.kind,
          ...(values.date ? { date: values.date.format('YYYY-MM-DD') } : {}),
        },
        key,
      ),
    onSuccess: (report) => {
      void queryClient.invalidateQueries({ queryKey: ['statistics', 'reports'] });
      close();
      onGenerated(report.id);
    },
  });
  const close = () => {
    form.resetFields();
    generate.reset();
    setKey(globalThis.crypto.randomUUID());
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('stats.reports.generate')}
      okText={t('stats.reports.generate.ok')}
      cancelText={t('stats.reports.cancel')}
      confirmLoading={generate.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Form<GenerateValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'weekly' }}
        onFinish={(values) => generate.mutate(values)}
      >
        <Form.Item name="kind" label={t('stats.reports.kind')} rules={[{ required: true }]}>
          <Select<ReportKind>
            options={REPORT_KINDS.map((value) => ({
              value,
              label: t(`stats.reports.kind.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="date" label={t('stats.reports.date')} extra={t('stats.reports.date.help')}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(day) => day.format('YYYY-MM-DD') > today}
          />
        </Form.Item>
      </Form>
      {generate.error ? (
        <Alert type="error" showIcon title={describeError(generate.error, t)} />
      ) : null}
    </Modal>
  );
}

/**
 * 统计报表: the kept reports (日统计、周调度、月小结、季通报、半年督导、全年总结), generated on
 * schedule or on demand; each viewable as its tables and downloadable as .xlsx.
 */
export default function ReportsPage() {
  const t = useT();
  const me = useAccount();
  const [params, setParams] = useSearchParams();
  const [generating, setGenerating] = useState(false);
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const kind = REPORT_KINDS.find((candidate) => candidate === params.get('kind'));
  const years = selectableYears();
  const askedYear = Number(params.get('year'));
  const year = years.includes(askedYear) ? askedYear : undefined;
  const viewing = params.get('report');
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));
  const { data, error, isFetching, refetch } = useReports({
    ...(kind ? { kind } : {}),
    ...(year ? { year } : {}),
    page,
    pageSize,
  });
  const report = useReport(viewing);

  const columns: TableColumnsType<ReportSummary> = [
    {
      title: t('stats.reports.title'),
      dataIndex: 'title',
      render: (title: string, row) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => update({ report: row.id })}>
          {title}
        </Button>
      ),
    },
    {
      title: t('stats.reports.kind'),
      dataIndex: 'kind',
      render: (value: ReportKind) => <Tag>{t(`stats.reports.kind.${value}`)}</Tag>,
    },
    {
      title: t('stats.reports.period'),
      key: 'period',
      render: (_, row) =>
        row.periodStart === row.periodEnd
          ? row.periodStart
          : `${row.periodStart} ~ ${row.periodEnd}`,
    },
    {
      title: t('stats.reports.trigger'),
      dataIndex: 'trigger',
      render: (value: ReportSummary['trigger'], row) =>
        value === 'schedule'
          ? t('stats.reports.trigger.schedule')
          : t('stats.reports.trigger.request', { name: row.generatedByName ?? t('common.none') }),
    },
    {
      title: t('stats.reports.generatedAt'),
      dataIndex: 'generatedAt',
      responsive: ['sm'],
      render: (value: string) => formatDateTime(value),
    },
    {
      title: t('stats.reports.actions'),
      key: 'actions',
      render: (_, row) => (
        <Button
          size="small"
          icon={<DownloadOutlined />}
          href={statisticsApi.reportDownloadUrl(row.id)}
          download
          aria-label={t('stats.reports.downloadOf', { title: row.title })}
        >
          .xlsx
        </Button>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageTitle titleKey="stats.reports.pageTitle" descriptionKey="stats.reports.description" />
      <Flex gap={12} wrap align="center" justify="space-between">
        <Flex gap={12} wrap>
          <Select<ReportKind>
            aria-label={t('stats.reports.kind')}
            allowClear
            placeholder={t('stats.reports.allKinds')}
            value={kind}
            style={{ minWidth: 140 }}
            options={REPORT_KINDS.map((value) => ({
              value,
              label: t(`stats.reports.kind.${value}`),
            }))}
            onChange={(next) => update({ kind: next, page: undefined })}
          />
          <Select<number>
            aria-label={t('stats.year')}
            allowClear
            placeholder={t('stats.reports.allYears')}
            value={year}
            style={{ minWidth: 120 }}
            options={years.map((value) => ({
              value,
              label: t('stats.yearLabel', { year: value }),
            }))}
            onChange={(next) => update({ year: next, page: undefined })}
          />
        </Flex>
        {can(me, 'reports.generate') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setGenerating(true)}>
            {t('stats.reports.generate')}
          </Button>
        ) : null}
      </Flex>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<ReportSummary>
        rowKey="id"
        size="middle"
        loading={isFetching}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
      />
      <GenerateModal
        open={generating}
        onClose={() => setGenerating(false)}
        onGenerated={(id) => update({ report: id })}
      />
      <Drawer
        open={viewing !== null}
        onClose={() => update({ report: undefined })}
        size="100%"
        title={t('stats.reports.view')}
        destroyOnHidden
      >
        {report.error ? (
          <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />
        ) : null}
        {report.data ? <ReportView report={report.data} /> : null}
      </Drawer>
    </Space>
  );
}
