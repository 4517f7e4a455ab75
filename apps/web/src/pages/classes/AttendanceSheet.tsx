import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { queries } from '../../api/queries';
import type { Attendance, ClassSession, Trainee } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';

interface SheetRow {
  trainee: Trainee;
  attendance: Attendance | undefined;
}

/** Each trainee with their check-in of the session, if any: the sheet's rows, roster order. */
export function sheetRows(trainees: readonly Trainee[], attendance: readonly Attendance[]) {
  return trainees.map((trainee) => ({
    trainee,
    attendance: attendance.find((row) => row.personId === trainee.personId),
  }));
}

type Manual = { action: 'in' | 'out'; trainee: Trainee };

/**
 * 签到表: who checked in and out of one session and how, refreshed while open so scans appear as
 * they happen; staff record a check-in or check-out by hand, with the reason the rules require.
 */
export function AttendanceSheet({
  classId,
  session,
  trainees,
  onClose,
}: {
  classId: string;
  session: ClassSession | undefined;
  trainees: readonly Trainee[];
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [manual, setManual] = useState<Manual>();
  const [form] = Form.useForm<{ reason: string }>();
  const sessionId = session?.id ?? '';
  const { data, error, isFetching, refetch } = useQuery({
    ...queries.sessionAttendance(classId, sessionId),
    enabled: !!session,
    refetchInterval: 10_000,
  });

  const record = useMutation({
    mutationFn: ({ action, trainee, reason }: Manual & { reason: string }) => {
      const body = { method: 'manual' as const, personId: trainee.personId, reason };
      return action === 'in'
        ? api.classes.checkIn(classId, sessionId, body)
        : api.classes.checkOut(classId, sessionId, body);
    },
    onSuccess: () => {
      void message.success(t('sheet.done'));
      setManual(undefined);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['classes'] });
    },
  });

  const method = (value: Attendance['checkInMethod'] | null) =>
    value ? <Tag>{t(`sheet.method.${value}`)}</Tag> : null;
  const columns: TableColumnsType<SheetRow> = [
    { title: t('classDetail.trainee'), key: 'name', render: (_, row) => row.trainee.name },
    {
      title: t('classDetail.idNumber'),
      key: 'id',
      responsive: ['md'],
      render: (_, row) => row.trainee.idNumber,
    },
    {
      title: t('sheet.checkedIn'),
      key: 'in',
      render: (_, row) =>
        row.attendance ? (
          <span style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(row.attendance.checkedInAt)} {method(row.attendance.checkInMethod)}
          </span>
        ) : (
          <Typography.Text type="secondary">{t('sheet.notYet')}</Typography.Text>
        ),
    },
    {
      title: t('sheet.checkedOut'),
      key: 'out',
      render: (_, row) =>
        row.attendance?.checkedOutAt ? (
          <span style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(row.attendance.checkedOutAt)} {method(row.attendance.checkOutMethod)}
          </span>
        ) : null,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, row) =>
        !row.attendance ? (
          <Button size="small" onClick={() => setManual({ action: 'in', trainee: row.trainee })}>
            {t('sheet.manualIn')}
          </Button>
        ) : !row.attendance.checkedOutAt ? (
          <Button size="small" onClick={() => setManual({ action: 'out', trainee: row.trainee })}>
            {t('sheet.manualOut')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Drawer
      open={!!session}
      onClose={onClose}
      size="large"
      destroyOnHidden
      title={
        session
          ? t('sheet.title', {
              seq: session.seq,
              date: session.date,
              start: session.startTime,
              end: session.endTime,
            })
          : undefined
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<SheetRow>
          rowKey={(row) => row.trainee.id}
          size="small"
          columns={columns}
          dataSource={sheetRows(trainees, data?.items ?? [])}
          loading={isFetching && !data}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('classDetail.noTrainees') }}
        />
      </Space>
      <Modal
        open={!!manual}
        title={
          manual
            ? t('sheet.manualTitle', {
                action: t(manual.action === 'in' ? 'sheet.manualIn' : 'sheet.manualOut'),
                name: manual.trainee.name,
              })
            : undefined
        }
        onCancel={() => {
          setManual(undefined);
          record.reset();
        }}
        onOk={() => form.submit()}
        okButtonProps={{ loading: record.isPending }}
        destroyOnHidden
      >
        <Form<{ reason: string }>
          form={form}
          name="manualAttendance"
          layout="vertical"
          onFinish={({ reason }) => manual && record.mutate({ ...manual, reason: reason.trim() })}
        >
          <Form.Item
            name="reason"
            label={t('sheet.reason')}
            rules={[{ required: true, whitespace: true, message: t('vouchers.required') }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
        {record.error ? <ErrorAlert error={record.error} /> : null}
      </Modal>
    </Drawer>
  );
}
