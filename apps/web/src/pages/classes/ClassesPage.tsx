import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useClasses } from '../../api/queries';
import type { TrainingClass } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { ClassStatusTag } from './classCatalog';
import { FileClassModal } from './FileClassModal';

/** 培训班管理: a training institution's own classes, filing a new one and submitting drafts. */
export default function ClassesPage() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const page = readPositiveInt(params, 'page', 1);
  const { data, error, isFetching, refetch } = useClasses({ page, pageSize: 20 });
  const [filing, setFiling] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['classes'] });

  const submit = useMutation({
    mutationFn: (id: string) => api.classes.submit(id),
    onSuccess: () => {
      void message.success(t('classes.submitted'));
      refresh();
    },
  });

  const columns: TableColumnsType<TrainingClass> = [
    {
      title: t('class.name'),
      dataIndex: 'name',
      render: (name: string, row) => <Link to={`/classes/${row.id}`}>{name}</Link>,
    },
    { title: t('class.occupation'), dataIndex: 'occupationCode', responsive: ['md'] },
    {
      title: t('class.status'),
      key: 'status',
      render: (_, row) => (
        <Space orientation="vertical" size={2}>
          <ClassStatusTag status={row.status} />
          {row.status === 'returned' && row.returnReason ? (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {t('classes.returnedHint', { reason: row.returnReason })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('class.period'),
      key: 'period',
      render: (_, row) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(row.startsAt)} – {formatDateTime(row.endsAt)}
        </span>
      ),
    },
    {
      title: t('class.enrolled'),
      key: 'enrolled',
      align: 'right',
      render: (_, row) => `${row.enrolled} / ${row.capacity}`,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, row) => (
        <Space>
          <Link to={`/classes/${row.id}`}>{t('classes.open')}</Link>
          {row.status === 'draft' || row.status === 'returned' ? (
            <Button
              size="small"
              type="primary"
              loading={submit.isPending && submit.variables === row.id}
              onClick={() => submit.mutate(row.id)}
            >
              {t('classes.submit')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle titleKey="classes.title" descriptionKey="classes.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Flex justify="end">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setFiling(true)}>
            {t('classes.file')}
          </Button>
        </Flex>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        {submit.error ? <ErrorAlert error={submit.error} /> : null}
        <Table<TrainingClass>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('classes.empty') }}
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
      <FileClassModal open={filing} onClose={() => setFiling(false)} onFiled={refresh} />
    </>
  );
}
