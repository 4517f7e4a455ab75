import { ArrowLeftOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Flex,
  Progress,
  Radio,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { useClassDetail, useTrainees } from '../../api/queries';
import type { ClassDetail, ClassSession, CompletionResult, Trainee } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { RegionName } from '../../components/RegionSelect';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { yuan } from '../vouchers/voucherCatalog';
import { AttendanceSheet } from './AttendanceSheet';
import { BindVoucherModal } from './BindVoucherModal';
import { ClassStatusTag, hours, isApproved } from './classCatalog';
import { SessionQrModal } from './SessionQrModal';

function Overview({ cls }: { cls: ClassDetail }) {
  const t = useT();
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2, xl: 3 }}
      items={[
        { key: 'occupation', label: t('class.occupation'), children: cls.occupationCode },
        {
          key: 'type',
          label: t('class.trainingType'),
          children: t(`class.type.${cls.trainingType}`),
        },
        { key: 'plan', label: t('class.plan'), children: cls.planNo },
        { key: 'region', label: t('class.region'), children: <RegionName code={cls.regionCode} /> },
        { key: 'address', label: t('class.address'), children: cls.address },
        {
          key: 'period',
          label: t('class.period'),
          children: `${formatDateTime(cls.startsAt)} – ${formatDateTime(cls.endsAt)}`,
        },
        {
          key: 'enrolled',
          label: t('class.enrolled'),
          children: `${cls.enrolled} / ${cls.capacity}`,
        },
        {
          key: 'hours',
          label: `${t('class.offlineHours')} / ${t('class.onlineHours')}`,
          children: `${hours(cls.offlineHours)} / ${hours(cls.onlineHours)}`,
        },
        { key: 'subsidy', label: t('class.subsidy'), children: yuan(cls.subsidyStandardFen) },
        {
          key: 'threshold',
          label: t('class.threshold'),
          children: `${cls.attendanceThresholdPercent}%（${hours(cls.requiredHours)}）`,
        },
      ]}
    />
  );
}

function attendedCell(trainee: Trainee) {
  const percent =
    trainee.requiredHours > 0
      ? Math.min(100, (trainee.attendedHours / trainee.requiredHours) * 100)
      : 100;
  return (
    <Flex vertical gap={2} style={{ minWidth: 120 }}>
      <span>
        {hours(trainee.attendedHours)} / {hours(trainee.requiredHours)}
      </span>
      <Progress
        percent={Math.round(percent)}
        size="small"
        showInfo={false}
        status={percent >= 100 ? 'success' : 'active'}
      />
    </Flex>
  );
}

/** Whether the trainee has the attendance a pass needs. */
export function meetsThreshold(trainee: Trainee): boolean {
  return trainee.attendedHours >= trainee.requiredHours;
}

function Completion({ classId, trainees }: { classId: string; trainees: readonly Trainee[] }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<Record<string, CompletionResult>>({});
  const record = useMutation({
    mutationFn: () =>
      api.classes.completions(classId, {
        results: Object.entries(chosen).map(([personId, result]) => ({ personId, result })),
      }),
    onSuccess: () => {
      void message.success(t('classDetail.completionSaved'));
      setChosen({});
      void queryClient.invalidateQueries({ queryKey: ['classes'] });
    },
  });
  const columns: TableColumnsType<Trainee> = [
    { title: t('classDetail.trainee'), dataIndex: 'name' },
    { title: t('classDetail.attended'), key: 'attended', render: (_, row) => attendedCell(row) },
    {
      title: t('classDetail.completionResult'),
      key: 'result',
      render: (_, row) => {
        if (row.completionResult) {
          return (
            <Tag color={row.completionResult === 'passed' ? 'green' : 'red'}>
              {t(`classDetail.result.${row.completionResult}`)}
            </Tag>
          );
        }
        const ok = meetsThreshold(row);
        return (
          <Space wrap>
            <Radio.Group
              value={chosen[row.personId]}
              aria-label={`${t('classDetail.completionResult')} ${row.name}`}
              onChange={(event) =>
                setChosen((current) => ({
                  ...current,
                  [row.personId]: event.target.value as CompletionResult,
                }))
              }
              options={[
                { value: 'passed', label: t('classDetail.result.passed'), disabled: !ok },
                { value: 'failed', label: t('classDetail.result.failed') },
              ]}
            />
            {!ok ? <Tag color="orange">{t('classDetail.belowThreshold')}</Tag> : null}
          </Space>
        );
      },
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Table<Trainee>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={[...trainees]}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('classDetail.noTrainees') }}
      />
      {record.error ? <ErrorAlert error={record.error} /> : null}
      <Flex justify="end">
        <Button
          type="primary"
          disabled={Object.keys(chosen).length === 0}
          loading={record.isPending}
          onClick={() => record.mutate()}
        >
          {t('classDetail.recordCompletion')}
        </Button>
      </Flex>
    </Space>
  );
}

/**
 * One class of the institution: its sessions with the check-in code and attendance sheet, its
 * trainees (binding a voucher enrols its holder) and the completion assessment.
 */
export default function ClassDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { data: cls, error, refetch } = useClassDetail(id);
  const trainees = useTrainees(id);
  const [binding, setBinding] = useState(false);
  const [qrSession, setQrSession] = useState<ClassSession>();
  const [sheetSession, setSheetSession] = useState<ClassSession>();
  useDocumentTitle(cls?.name ?? t('classes.title'));

  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (!cls) return <Spin style={{ display: 'block', marginTop: 48 }} />;
  const approved = isApproved(cls.status);
  const roster = trainees.data?.items ?? [];

  const sessionColumns: TableColumnsType<ClassSession> = [
    { title: '#', dataIndex: 'seq', width: 48 },
    { title: t('classForm.sessionDate'), dataIndex: 'date' },
    {
      title: t('class.period'),
      key: 'time',
      render: (_, row) => `${row.startTime}–${row.endTime}`,
    },
    { title: t('class.offlineHours'), dataIndex: 'hours', render: (value: number) => hours(value) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, row) =>
        approved ? (
          <Space wrap>
            <Button size="small" icon={<QrcodeOutlined />} onClick={() => setQrSession(row)}>
              {t('classDetail.showQr')}
            </Button>
            <Button size="small" onClick={() => setSheetSession(row)}>
              {t('classDetail.sheet')}
            </Button>
          </Space>
        ) : null,
    },
  ];
  const rosterColumns: TableColumnsType<Trainee> = [
    { title: t('classDetail.trainee'), dataIndex: 'name' },
    { title: t('classDetail.idNumber'), dataIndex: 'idNumber' },
    { title: t('classDetail.attended'), key: 'attended', render: (_, row) => attendedCell(row) },
    {
      title: t('classDetail.completionResult'),
      key: 'result',
      render: (_, row) =>
        row.completionResult ? t(`classDetail.result.${row.completionResult}`) : t('common.none'),
    },
  ];

  return (
    <>
      <Link to="/classes">
        <ArrowLeftOutlined /> {t('classDetail.back')}
      </Link>
      <Flex align="center" gap={12} wrap style={{ margin: '12px 0' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {cls.name}
        </Typography.Title>
        <ClassStatusTag status={cls.status} />
      </Flex>
      {cls.status === 'returned' && cls.returnReason ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('class.returnReason')}
          description={cls.returnReason}
        />
      ) : null}
      {!approved ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('classDetail.notApproved')}
        />
      ) : null}
      <Overview cls={cls} />
      <Tabs
        style={{ marginTop: 16 }}
        items={[
          {
            key: 'sessions',
            label: t('classDetail.tab.sessions'),
            children: (
              <Table<ClassSession>
                rowKey="id"
                size="middle"
                columns={sessionColumns}
                dataSource={cls.sessions}
                pagination={false}
                scroll={{ x: 'max-content' }}
              />
            ),
          },
          {
            key: 'roster',
            label: t('classDetail.tab.roster'),
            children: (
              <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                {approved ? (
                  <Flex justify="end">
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setBinding(true)}>
                      {t('bind.open')}
                    </Button>
                  </Flex>
                ) : null}
                {trainees.error ? (
                  <ErrorAlert error={trainees.error} onRetry={() => void trainees.refetch()} />
                ) : null}
                <Table<Trainee>
                  rowKey="id"
                  size="middle"
                  columns={rosterColumns}
                  dataSource={roster}
                  loading={trainees.isFetching}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  locale={{ emptyText: t('classDetail.noTrainees') }}
                />
              </Space>
            ),
          },
          ...(approved
            ? [
                {
                  key: 'completion',
                  label: t('classDetail.tab.completion'),
                  children: (
                    <Space orientation="vertical" style={{ width: '100%' }}>
                      <Typography.Text type="secondary">
                        {t('classDetail.completionHint', {
                          percent: cls.attendanceThresholdPercent,
                        })}
                      </Typography.Text>
                      <Completion classId={cls.id} trainees={roster} />
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <BindVoucherModal
        classId={cls.id}
        open={binding}
        onClose={() => setBinding(false)}
        onBound={() => void queryClient.invalidateQueries({ queryKey: ['classes'] })}
      />
      <SessionQrModal
        classId={cls.id}
        session={qrSession}
        onClose={() => setQrSession(undefined)}
      />
      <AttendanceSheet
        classId={cls.id}
        session={sheetSession}
        trainees={roster}
        onClose={() => setSheetSession(undefined)}
      />
    </>
  );
}
