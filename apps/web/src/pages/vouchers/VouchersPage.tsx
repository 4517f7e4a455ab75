import { PlusOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useVouchers } from '../../api/queries';
import type { Voucher, VoucherState } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { ApplicationsTab } from './ApplicationsTab';
import { BatchIssueModal } from './BatchIssueModal';
import { IssueVoucherModal } from './IssueVoucherModal';
import { isVoucherState, VOUCHER_STATES, VoucherStateTag, yuan } from './voucherCatalog';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE, tab: 'list' };

interface Filters {
  state?: VoucherState;
  occupation?: string;
  number?: string;
}

function VoucherList() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const rawState = params.get('state');
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const filters: Filters = {
    state: isVoucherState(rawState) ? rawState : undefined,
    occupation: params.get('occupation')?.trim() || undefined,
    number: params.get('number')?.trim() || undefined,
  };
  const { data, error, isFetching, refetch } = useVouchers({
    state: filters.state,
    occupationCode: filters.occupation,
    number: filters.number,
    page,
    pageSize,
  });
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));

  const columns: TableColumnsType<Voucher> = [
    {
      title: t('voucher.number'),
      dataIndex: 'number',
      render: (value: string) => (
        <Typography.Text style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
          {value}
        </Typography.Text>
      ),
    },
    { title: t('voucher.holder'), dataIndex: 'holderName' },
    {
      title: t('voucher.idNumber'),
      dataIndex: 'holderIdNumberMasked',
      responsive: ['md'],
      render: (value: string) => (
        <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{value}</span>
      ),
    },
    {
      title: t('voucher.occupation'),
      dataIndex: 'occupationName',
      render: (name: string, voucher) => `${voucher.occupationCode} ${name}`,
    },
    {
      title: t('voucher.value'),
      dataIndex: 'valueFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
    { title: t('voucher.validTo'), dataIndex: 'validTo', responsive: ['sm'] },
    {
      title: t('voucher.state'),
      dataIndex: 'state',
      render: (state: VoucherState) => <VoucherStateTag state={state} />,
    },
    {
      title: t('voucher.source'),
      dataIndex: 'source',
      responsive: ['lg'],
      render: (source: Voucher['source']) => t(`voucher.source.${source}`),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form<Filters>
          name="voucherFilters"
          key={params.toString()}
          layout="vertical"
          initialValues={filters}
          onFinish={(values) =>
            update({
              state: values.state,
              occupation: values.occupation?.trim(),
              number: values.number?.trim(),
              page: undefined,
            })
          }
        >
          <Row gutter={12}>
            <Col xs={12} md={8}>
              <Form.Item name="state" label={t('vouchers.filter.state')}>
                <Select<VoucherState>
                  allowClear
                  options={VOUCHER_STATES.map((value) => ({
                    value,
                    label: t(`voucher.state.${value}`),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="occupation" label={t('vouchers.filter.occupation')}>
                <Input allowClear autoComplete="off" maxLength={20} placeholder="6-01-01-01" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="number" label={t('vouchers.filter.number')}>
                <Input allowClear autoComplete="off" maxLength={20} />
              </Form.Item>
            </Col>
          </Row>
          <Flex gap={8} justify="flex-end">
            <Button onClick={() => setParams(new URLSearchParams())}>{t('common.reset')}</Button>
            <Button type="primary" htmlType="submit">
              {t('common.search')}
            </Button>
          </Flex>
        </Form>
      </Card>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<Voucher>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
      />
    </Space>
  );
}

/** 培训券管理 for administrators: the list, issuing (one or a batch) and applications. */
export default function VouchersPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'applications' ? 'applications' : 'list';
  const [issuing, setIssuing] = useState(false);
  const [batching, setBatching] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['vouchers'] });

  return (
    <>
      <PageTitle titleKey="vouchers.title" descriptionKey="vouchers.description" />
      <Flex gap={8} wrap justify="flex-end" style={{ marginBottom: 8 }}>
        <Button icon={<PlusOutlined />} type="primary" onClick={() => setIssuing(true)}>
          {t('vouchers.issue')}
        </Button>
        <Button icon={<UsergroupAddOutlined />} onClick={() => setBatching(true)}>
          {t('vouchers.batch')}
        </Button>
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(new URLSearchParams(key === 'list' ? {} : { tab: key }))}
        items={[
          { key: 'list', label: t('vouchers.tab.list'), children: <VoucherList /> },
          {
            key: 'applications',
            label: t('vouchers.tab.applications'),
            children: <ApplicationsTab />,
          },
        ]}
      />
      <IssueVoucherModal open={issuing} onClose={() => setIssuing(false)} onIssued={refresh} />
      <BatchIssueModal
        open={batching}
        onClose={() => {
          setBatching(false);
          refresh();
        }}
      />
    </>
  );
}
