import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useVoucherApplications } from '../../api/queries';
import type { VoucherApplication } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { TermFields, termsOf, type TermValues } from './voucherCatalog';

const APPLICATION_STATES = ['pending', 'approved', 'rejected'] as const;
type ApplicationState = (typeof APPLICATION_STATES)[number];

function isApplicationState(value: string | null): value is ApplicationState {
  return APPLICATION_STATES.some((state) => state === value);
}

const DEFAULTS = { appPage: 1, appState: 'pending' };

/** 申领审核: workers' own applications, approved (issuing a voucher) or rejected with a reason. */
export function ApplicationsTab() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const rawState = params.get('appState') ?? DEFAULTS.appState;
  const state = isApplicationState(rawState) ? rawState : 'pending';
  const page = readPositiveInt(params, 'appPage', 1);
  const { data, error, isFetching, refetch } = useVoucherApplications({
    state,
    page,
    pageSize: 20,
  });
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));

  const [approving, setApproving] = useState<VoucherApplication>();
  const [rejecting, setRejecting] = useState<VoucherApplication>();
  const [approveForm] = Form.useForm<TermValues>();
  const [rejectForm] = Form.useForm<{ reason: string }>();
  const done = () => void queryClient.invalidateQueries({ queryKey: ['vouchers'] });

  const approve = useMutation({
    mutationFn: ({ id, values }: { id: string; values: TermValues }) =>
      api.vouchers.approveApplication(id, termsOf(values)),
    onSuccess: ({ voucher }) => {
      void message.success(t('vouchers.applications.approved', { number: voucher.number }));
      setApproving(undefined);
      approveForm.resetFields();
      done();
    },
  });
  const reject = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.vouchers.rejectApplication(id, reason),
    onSuccess: () => {
      void message.success(t('vouchers.applications.rejected'));
      setRejecting(undefined);
      rejectForm.resetFields();
      done();
    },
  });

  const columns: TableColumnsType<VoucherApplication> = [
    {
      title: t('voucher.holder'),
      dataIndex: 'personId',
      render: (personId: string) => (
        <Link to={`/persons/${personId}`}>{personId.slice(0, 8)}…</Link>
      ),
    },
    {
      title: t('voucher.occupation'),
      dataIndex: 'occupationCode',
      render: (code: string, row) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {code} <Tag>{t(`voucher.level.${row.occupationLevel as 2 | 3 | 4}`)}</Tag>
        </span>
      ),
    },
    {
      title: t('vouchers.applications.reason'),
      dataIndex: 'reason',
      render: (reason: string | null) => reason ?? t('common.none'),
    },
    {
      title: t('vouchers.applications.createdAt'),
      dataIndex: 'createdAt',
      responsive: ['md'],
      render: (value: string) => formatDateTime(value),
    },
    {
      title: t('vouchers.applications.decision'),
      key: 'actions',
      render: (_, row) =>
        row.state === 'pending' ? (
          <Space>
            <Button size="small" type="primary" onClick={() => setApproving(row)}>
              {t('vouchers.applications.approve')}
            </Button>
            <Button size="small" danger onClick={() => setRejecting(row)}>
              {t('vouchers.applications.reject')}
            </Button>
          </Space>
        ) : (
          (row.decisionReason ?? t(`vouchers.applications.state.${row.state}`))
        ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex gap={8} align="center">
        <span>{t('vouchers.applications.state')}</span>
        <Select<ApplicationState>
          value={state}
          style={{ width: 140 }}
          aria-label={t('vouchers.applications.state')}
          onChange={(value) => update({ appState: value, appPage: undefined })}
          options={APPLICATION_STATES.map((value) => ({
            value,
            label: t(`vouchers.applications.state.${value}`),
          }))}
        />
      </Flex>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<VoucherApplication>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize: 20,
          total: data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (next) => update({ appPage: next }),
        }}
      />
      <Modal
        open={!!approving}
        title={t('vouchers.applications.approveTitle')}
        onCancel={() => setApproving(undefined)}
        onOk={() => approveForm.submit()}
        okButtonProps={{ loading: approve.isPending }}
        destroyOnHidden
      >
        <Form<TermValues>
          form={approveForm}
          name="approveApplication"
          layout="vertical"
          onFinish={(values) => approving && approve.mutate({ id: approving.id, values })}
        >
          <TermFields occupation={false} />
        </Form>
        {approve.error ? <ErrorAlert error={approve.error} /> : null}
      </Modal>
      <Modal
        open={!!rejecting}
        title={t('vouchers.applications.rejectTitle')}
        onCancel={() => setRejecting(undefined)}
        onOk={() => rejectForm.submit()}
        okButtonProps={{ danger: true, loading: reject.isPending }}
        destroyOnHidden
      >
        <Form<{ reason: string }>
          form={rejectForm}
          name="rejectApplication"
          layout="vertical"
          onFinish={({ reason }) =>
            rejecting && reject.mutate({ id: rejecting.id, reason: reason.trim() })
          }
        >
          <Form.Item
            name="reason"
            label={t('vouchers.applications.rejectReason')}
            rules={[{ required: true, whitespace: true, message: t('vouchers.required') }]}
          >
            <Input.TextArea maxLength={500} rows={3} />
          </Form.Item>
        </Form>
        {reject.error ? <ErrorAlert error={reject.error} /> : null}
      </Modal>
    </Space>
  );
}
