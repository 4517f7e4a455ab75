import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useClasses } from '../../api/queries';
import type { TrainingClass } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { RegionName } from '../../components/RegionSelect';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { yuan } from '../vouchers/voucherCatalog';

/** 培训班审核: submitted classes in the administrator's scope, approved or returned with a reason. */
export default function ClassReviewPage() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const page = readPositiveInt(params, 'page', 1);
  const { data, error, isFetching, refetch } = useClasses({
    state: 'submitted',
    page,
    pageSize: 20,
  });
  const [returning, setReturning] = useState<TrainingClass>();
  const [form] = Form.useForm<{ reason: string }>();
  const done = () => void queryClient.invalidateQueries({ queryKey: ['classes'] });

  const approve = useMutation({
    mutationFn: (id: string) => api.classes.approve(id),
    onSuccess: () => {
      void message.success(t('classReview.approved'));
      done();
    },
  });
  const giveBack = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.classes.return(id, reason),
    onSuccess: () => {
      void message.success(t('classReview.returned'));
      setReturning(undefined);
      form.resetFields();
      done();
    },
  });

  const columns: TableColumnsType<TrainingClass> = [
    { title: t('classReview.name'), dataIndex: 'name' },
    { title: t('voucher.occupation'), dataIndex: 'occupationCode' },
    {
      title: t('person.region'),
      dataIndex: 'regionCode',
      responsive: ['md'],
      render: (code: string) => <RegionName code={code} />,
    },
    { title: t('classReview.capacity'), dataIndex: 'capacity', responsive: ['md'] },
    {
      title: t('classReview.subsidy'),
      dataIndex: 'subsidyStandardFen',
      align: 'right',
      responsive: ['lg'],
      render: (fen: number) => yuan(fen),
    },
    {
      title: t('classReview.period'),
      key: 'period',
      render: (_, row) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(row.startsAt)} – {formatDateTime(row.endsAt)}
        </span>
      ),
    },
    {
      title: t('vouchers.applications.decision'),
      key: 'actions',
      render: (_, row) => (
        <Space>
          <Button
            size="small"
            type="primary"
            loading={approve.isPending && approve.variables === row.id}
            onClick={() => approve.mutate(row.id)}
          >
            {t('classReview.approve')}
          </Button>
          <Button size="small" danger onClick={() => setReturning(row)}>
            {t('classReview.return')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle titleKey="classReview.title" descriptionKey="classReview.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        {approve.error ? <ErrorAlert error={approve.error} /> : null}
        <Table<TrainingClass>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('classReview.empty') }}
          pagination={{
            current: page,
            pageSize: 20,
            total: data?.total ?? 0,
            showTotal: (total) => t('common.total', { total }),
            onChange: (next) =>
              setParams((current) => mergeSearchParams(current, { page: next }, { page: 1 })),
          }}
        />
      </Space>
      <Modal
        open={!!returning}
        title={t('classReview.returnTitle', { name: returning?.name ?? '' })}
        onCancel={() => setReturning(undefined)}
        onOk={() => form.submit()}
        okButtonProps={{ danger: true, loading: giveBack.isPending }}
        destroyOnHidden
      >
        <Form<{ reason: string }>
          form={form}
          name="returnClass"
          layout="vertical"
          onFinish={({ reason }) =>
            returning && giveBack.mutate({ id: returning.id, reason: reason.trim() })
          }
        >
          <Form.Item
            name="reason"
            label={t('classReview.reason')}
            rules={[{ required: true, whitespace: true, message: t('vouchers.required') }]}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">{t('classReview.returnHint')}</Typography.Text>
        {giveBack.error ? <ErrorAlert error={giveBack.error} /> : null}
      </Modal>
    </>
  );
}
