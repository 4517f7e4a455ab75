import { PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Grid,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { can } from '../../access';
import { api } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useKeyGroups, usePersons, useRegions } from '../../api/queries';
import type { CreatedPerson, EmploymentStatus, Person } from '../../api/types';
import { useAccount } from '../../auth/session';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { RegionName } from '../../components/RegionSelect';
import { SHANGQIU } from '../../deployment';
import { useLocale, useT } from '../../i18n';
import { compactPhone } from '../../forms/shapes';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { RegisterPersonDrawer } from './PersonForm';
import { EMPLOYMENT_STATUSES, isEmploymentStatus } from './personCatalog';
import { keyGroupName, ReviewTag } from './PersonTags';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };
const KEY_GROUP_TAG = {
  maxWidth: 160,
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  verticalAlign: 'top',
} as const;

interface Filters {
  name?: string;
  phone?: string;
  region?: string;
  keyGroup?: string;
  status?: EmploymentStatus;
}

/**
 * Finds one person by ID number. The number is sent in a POST body, never put in the address
 * bar, so it stays out of browser history and server logs.
 */
function IdNumberLookup() {
  const t = useT();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const lookup = useMutation({
    mutationFn: (idNumber: string) => api.persons.lookup(idNumber),
    onSuccess: (person) => {
      setValue('');
      void navigate(`/persons/${person.id}`);
    },
  });
  const error = lookup.error;
  const notFound = error instanceof ApiError && error.status === 404;
  const fieldMessage =
    error instanceof ApiError
      ? error.problem?.errors?.find((e) => e.path === '/body/idNumber')
      : undefined;
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%', maxWidth: 420 }}>
      <Input.Search
        value={value}
        onChange={(event) => {
          setValue(event.target.value);
          if (lookup.isError) lookup.reset();
        }}
        placeholder={t('persons.lookup.placeholder')}
        aria-label={t('persons.lookup.label')}
        enterButton={t('persons.lookup.submit')}
        autoComplete="off"
        spellCheck={false}
        maxLength={40}
        loading={lookup.isPending}
        status={error ? 'error' : undefined}
        onSearch={(idNumber) => idNumber.trim() && lookup.mutate(idNumber.trim())}
      />
      {error ? (
        <Typography.Text type="danger" role="alert">
          {notFound
            ? t('persons.lookup.notFound')
            : (fieldMessage?.message ?? describeError(error, t))}
        </Typography.Text>
      ) : null}
    </Space>
  );
}

export default function PersonsPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const me = useAccount();
  const write = can(me, 'persons.write');

  // Filters and paging live in the URL, so a list can be bookmarked and shared.
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const filters: Filters = {
    name: params.get('name')?.trim() || undefined,
    phone: params.get('phone')?.trim() || undefined,
    region: params.get('region')?.trim() || undefined,
    keyGroup: params.get('keyGroup')?.trim() || undefined,
    status: isEmploymentStatus(status) ? status : undefined,
  };
  const { data, error, isFetching, refetch } = usePersons({
    name: filters.name,
    phone: filters.phone,
    regionCode: filters.region,
    keyGroup: filters.keyGroup,
    employmentStatus: filters.status,
    page,
    pageSize,
  });
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));
  const search = (values: Filters) =>
    update({
      name: values.name?.trim(),
      phone: values.phone ? compactPhone(values.phone) : undefined,
      region: values.region,
      keyGroup: values.keyGroup,
      status: values.status,
      page: undefined,
    });

  const counties = useRegions({ parent: SHANGQIU });
  const keyGroups = useKeyGroups();
  const [registering, setRegistering] = useState(false);

  const onCreated = ({ person, warnings }: CreatedPerson) => {
    setRegistering(false);
    void message.success(t('persons.created', { name: person.name }));
    if (warnings.length > 0) {
      modal.warning({
        title: t('persons.created.warnings'),
        content: (
          <ul style={{ paddingInlineStart: 20, margin: 0 }}>
            {warnings.map((warning) => (
              <li key={warning.code}>{warning.message}</li>
            ))}
          </ul>
        ),
        okText: t('persons.created.open'),
        onOk: () => void navigate(`/persons/${person.id}`),
      });
    }
  };

  const columns: TableColumnsType<Person> = [
    {
      title: t('person.name'),
      dataIndex: 'name',
      fixed: isPhone ? undefined : 'left',
      render: (name: string, person) => <Link to={`/persons/${person.id}`}>{name}</Link>,
    },
    {
      title: t('person.idNumber'),
      dataIndex: 'idNumberMasked',
      render: (value: string) => (
        <Typography.Text style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
          {value}
        </Typography.Text>
      ),
    },
    {
      title: t('person.sex'),
      dataIndex: 'sex',
      responsive: ['sm'],
      render: (value: Person['sex']) => t(`person.sex.${value}`),
    },
    {
      title: t('person.birthDate'),
      dataIndex: 'birthDate',
      responsive: ['md'],
      render: (value: string) => <span style={{ whiteSpace: 'nowrap' }}>{value}</span>,
    },
    {
      title: t('person.phone'),
      dataIndex: 'phoneMasked',
      responsive: ['sm'],
      render: (value: string | null) =>
        value ? <span style={{ whiteSpace: 'nowrap' }}>{value}</span> : t('common.none'),
    },
    {
      title: t('person.region'),
      dataIndex: 'regionCode',
      responsive: ['md'],
      render: (value: string) => <RegionName code={value} />,
    },
    {
      title: t('person.keyGroups'),
      dataIndex: 'keyGroups',
      responsive: ['lg'],
      render: (codes: string[]) => (
        <Space size={[0, 4]} wrap>
          {codes.map((code) => {
            const name = keyGroupName(code, keyGroups.data?.items, locale);
            return (
              // Long names (in English especially) are cut, not allowed to widen the table.
              <Tag key={code} title={name} style={KEY_GROUP_TAG}>
                {name}
              </Tag>
            );
          })}
        </Space>
      ),
    },
    {
      title: t('person.review.col'),
      dataIndex: 'reviewWarnings',
      render: (warnings: string[]) => <ReviewTag warnings={warnings} t={t} />,
    },
  ];

  return (
    <>
      <PageTitle titleKey="persons.title" descriptionKey="persons.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Flex gap={12} wrap justify="space-between" align="flex-start">
          <IdNumberLookup />
          {write ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
              {t('persons.register')}
            </Button>
          ) : null}
        </Flex>
        <Card size="small">
          <Form<Filters>
            name="personFilters"
            // Rebuilt from the URL on back/forward, so the form always shows the search in force.
            key={params.toString()}
            layout="vertical"
            initialValues={filters}
            onFinish={search}
          >
            <Row gutter={12}>
              <Col xs={12} md={8} xl={4}>
                <Form.Item name="name" label={t('person.name')}>
                  <Input allowClear autoComplete="off" maxLength={50} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8} xl={5}>
                <Form.Item name="phone" label={t('persons.filter.phone')}>
                  <Input allowClear autoComplete="off" inputMode="numeric" maxLength={20} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8} xl={5}>
                <Form.Item name="region" label={t('person.region')}>
                  <Select<string>
                    allowClear
                    placeholder={t('persons.filter.allRegions')}
                    loading={counties.isPending}
                    showSearch={{ optionFilterProp: 'label' }}
                    options={(counties.data?.items ?? []).map((region) => ({
                      value: region.code,
                      label: region.name,
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={12} xl={5}>
                <Form.Item name="keyGroup" label={t('person.keyGroup')}>
                  <Select<string>
                    allowClear
                    placeholder={t('persons.filter.allKeyGroups')}
                    loading={keyGroups.isPending}
                    showSearch={{ optionFilterProp: 'label' }}
                    options={(keyGroups.data?.items ?? []).map((group) => ({
                      value: group.code,
                      label: locale === 'en' ? group.nameEn : group.name,
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} xl={5}>
                <Form.Item name="status" label={t('person.employmentStatus')}>
                  <Select<EmploymentStatus>
                    allowClear
                    placeholder={t('persons.filter.allStatuses')}
                    options={EMPLOYMENT_STATUSES.map((value) => ({
                      value,
                      label: t(`person.employment.${value}`),
                    }))}
                  />
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
        <Table<Person>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          locale={{ emptyText: t('persons.empty') }}
          scroll={{ x: 'max-content' }}
          pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
        />
      </Space>
      {write ? (
        <RegisterPersonDrawer
          open={registering}
          width={isPhone ? '100%' : 520}
          onClose={() => setRegistering(false)}
          onCreated={onCreated}
        />
      ) : null}
    </>
  );
}
