import {
  AutoComplete,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ROLES } from '../../access';
import { useAudit } from '../../api/queries';
import type { AuditAction, AuditEvent, AuditOutcome, AuditQuery } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { useSearchParams } from 'react-router';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  ENTITY_TYPES,
  isAuditAction,
  isAuditOutcome,
} from './auditCatalog';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };

const OUTCOME_COLORS: Record<AuditOutcome, string> = {
  success: 'green',
  denied: 'orange',
  failed: 'red',
};

interface Filters {
  action?: AuditAction;
  actorUsername?: string;
  entityType?: string;
  entityId?: string;
  outcome?: AuditOutcome;
  /** The end is exclusive, as the API takes it. */
  range?: [Dayjs | null, Dayjs | null] | null;
}

function readInstant(params: URLSearchParams, name: string): Dayjs | null {
  const raw = params.get(name);
  const value = raw ? dayjs(raw) : null;
  return value?.isValid() ? value : null;
}

function actionLabel(action: string, t: Translate, fallback: string): string {
  return isAuditAction(action) ? t(`audit.action.${action}`) : fallback;
}

function entityLabel(type: string, t: Translate): string {
  const known = ENTITY_TYPES.find((candidate) => candidate === type);
  return known ? t(`audit.entity.${known}`) : type;
}

function actorRoleLabel(role: string | null, t: Translate): string | null {
  if (role === null) return null;
  if (role === 'system') return t('audit.system');
  const known = ROLES.find((candidate) => candidate === role);
  return known ? t(`role.${known}`) : role;
}

function Json({ value }: { value: unknown }) {
  return (
    <pre
      style={{
        margin: 0,
        padding: 8,
        background: 'rgba(0, 0, 0, 0.03)',
        borderRadius: 6,
        fontSize: 12,
        maxHeight: 320,
        overflow: 'auto',
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
      }}
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function SealTag({ seq, t }: { seq: number | null; t: Translate }) {
  return (
    <Tooltip title={t('audit.seal.hint')}>
      {seq === null ? (
        <Tag>{t('audit.unsealed')}</Tag>
      ) : (
        <Tag color="blue">{t('audit.sealed', { seq })}</Tag>
      )}
    </Tooltip>
  );
}

function EventDetails({ event, t }: { event: AuditEvent; t: Translate }) {
  const blocks: [MessageKey, unknown][] = [
    ['audit.before', event.before],
    ['audit.after', event.after],
    ['audit.details', event.details],
  ];
  const present = blocks.filter(([, value]) => value !== null && value !== undefined);
  return (
    // Zero width, full minimum width: the details take the table's width without widening it.
    <Space orientation="vertical" size="middle" style={{ width: 0, minWidth: '100%' }}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: 'id', label: t('audit.eventId'), children: event.id },
          {
            key: 'req',
            label: t('audit.requestId'),
            children: event.requestId ?? t('common.none'),
          },
          { key: 'ip', label: t('audit.col.ip'), children: event.ip ?? t('common.none') },
          { key: 'action', label: t('audit.col.action'), children: event.action },
          {
            key: 'entity',
            label: t('audit.col.entity'),
            children: event.entityType
              ? `${event.entityType} ${event.entityId ?? ''}`
              : t('common.none'),
          },
          { key: 'seal', label: t('audit.col.seal'), children: <SealTag seq={event.seq} t={t} /> },
        ]}
      />
      <Row gutter={[12, 12]}>
        {present.map(([key, value]) => (
          <Col key={key} xs={24} lg={24 / present.length}>
            <Typography.Text strong>{t(key)}</Typography.Text>
            <Json value={value} />
          </Col>
        ))}
      </Row>
    </Space>
  );
}

export default function AuditPage() {
  const t = useT();
  // Filters and paging live in the URL, so a search can be bookmarked and shared.
  const [params, setParams] = useSearchParams();
  const action = params.get('action');
  const outcome = params.get('outcome');
  const from = readInstant(params, 'from');
  const to = readInstant(params, 'to');
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const query: AuditQuery = {
    action: isAuditAction(action) ? action : undefined,
    actorUsername: params.get('actor')?.trim() || undefined,
    entityType: params.get('entityType')?.trim() || undefined,
    entityId: params.get('entityId')?.trim() || undefined,
    outcome: isAuditOutcome(outcome) ? outcome : undefined,
    from: from?.toISOString(),
    to: to?.toISOString(),
    page,
    pageSize,
  };
  const { data, error, isFetching, refetch } = useAudit(query);
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));

  const initial: Filters = {
    action: query.action,
    actorUsername: query.actorUsername,
    entityType: query.entityType,
    entityId: query.entityId,
    outcome: query.outcome,
    range: from || to ? [from, to] : null,
  };
  const search = (values: Filters) =>
    update({
      action: values.action,
      actor: values.actorUsername?.trim(),
      entityType: values.entityType?.trim(),
      entityId: values.entityId?.trim(),
      outcome: values.outcome,
      from: values.range?.[0]?.toISOString(),
      to: values.range?.[1]?.toISOString(),
      page: undefined,
    });

  // Calendar days in the browser's time zone, up to the end of today (the end is exclusive).
  const tomorrow = dayjs().add(1, 'day').startOf('day');
  const presets: { label: string; value: [Dayjs, Dayjs] }[] = [
    { label: t('audit.preset.today'), value: [tomorrow.subtract(1, 'day'), tomorrow] },
    { label: t('audit.preset.7days'), value: [tomorrow.subtract(7, 'day'), tomorrow] },
    { label: t('audit.preset.30days'), value: [tomorrow.subtract(30, 'day'), tomorrow] },
  ];

  const columns: TableColumnsType<AuditEvent> = [
    {
      title: t('audit.col.time'),
      dataIndex: 'occurredAt',
      // Date over time: the column stays narrow enough for a phone.
      render: (value: string) => {
        const [date, time] = formatDateTime(value, true).split(' ');
        return (
          <Space orientation="vertical" size={0}>
            <span style={{ whiteSpace: 'nowrap' }}>{date}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {time}
            </Typography.Text>
          </Space>
        );
      },
    },
    {
      title: t('audit.col.action'),
      dataIndex: 'action',
      render: (value: string, event) => (
        <Space orientation="vertical" size={0}>
          <span>{actionLabel(value, t, event.actionDescription)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {value}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('audit.col.actor'),
      key: 'actor',
      render: (_: unknown, event) => (
        <Space orientation="vertical" size={0}>
          <span>{event.actorUsername ?? t('audit.system')}</span>
          {event.actorRole ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {actorRoleLabel(event.actorRole, t)}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('audit.col.entity'),
      key: 'entity',
      responsive: ['md'],
      render: (_: unknown, event) =>
        event.entityType ? (
          <Space orientation="vertical" size={0}>
            <span>{entityLabel(event.entityType, t)}</span>
            {event.entityId ? (
              <Typography.Text
                type="secondary"
                copyable={{ text: event.entityId }}
                style={{ fontSize: 12 }}
              >
                {event.entityId.slice(0, 8)}…
              </Typography.Text>
            ) : null}
          </Space>
        ) : (
          t('common.none')
        ),
    },
    {
      title: t('audit.col.outcome'),
      dataIndex: 'outcome',
      render: (value: AuditOutcome) => (
        <Tag color={OUTCOME_COLORS[value]}>{t(`audit.outcome.${value}`)}</Tag>
      ),
    },
    {
      title: t('audit.col.ip'),
      dataIndex: 'ip',
      responsive: ['xl'],
      render: (value: string | null) => value ?? t('common.none'),
    },
    {
      title: t('audit.col.seal'),
      dataIndex: 'seq',
      responsive: ['lg'],
      render: (value: number | null) => <SealTag seq={value} t={t} />,
    },
  ];

  return (
    <>
      <PageTitle titleKey="audit.title" descriptionKey="audit.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <Form<Filters>
            // Rebuilt from the URL on back/forward, so the form always shows the search in force.
            key={params.toString()}
            layout="vertical"
            initialValues={initial}
            onFinish={search}
          >
            <Row gutter={12}>
              <Col xs={24} sm={12} lg={8}>
                <Form.Item name="action" label={t('audit.filter.action')}>
                  <Select<AuditAction>
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder={t('audit.filter.allActions')}
                    options={AUDIT_ACTIONS.map((value) => ({
                      value,
                      label: `${t(`audit.action.${value}`)} · ${value}`,
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} lg={8}>
                <Form.Item name="actorUsername" label={t('audit.filter.actor')}>
                  <Input allowClear autoComplete="off" spellCheck={false} />
                </Form.Item>
              </Col>
              <Col xs={12} lg={8}>
                <Form.Item name="outcome" label={t('audit.filter.outcome')}>
                  <Select<AuditOutcome>
                    allowClear
                    placeholder={t('audit.filter.allOutcomes')}
                    options={AUDIT_OUTCOMES.map((value) => ({
                      value,
                      label: t(`audit.outcome.${value}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} lg={8}>
                <Form.Item name="entityType" label={t('audit.filter.entityType')}>
                  <AutoComplete
                    allowClear
                    options={ENTITY_TYPES.map((value) => ({
                      value,
                      label: `${t(`audit.entity.${value}`)} · ${value}`,
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} lg={8}>
                <Form.Item name="entityId" label={t('audit.filter.entityId')}>
                  <Input allowClear autoComplete="off" spellCheck={false} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={8}>
                <Form.Item name="range" label={t('audit.filter.time')}>
                  <DatePicker.RangePicker
                    showTime={{ format: 'HH:mm' }}
                    format="YYYY-MM-DD HH:mm"
                    allowEmpty={[true, true]}
                    presets={presets}
                    placeholder={[t('audit.filter.from'), t('audit.filter.to')]}
                    style={{ width: '100%' }}
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
        <Table<AuditEvent>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          locale={{ emptyText: t('audit.empty') }}
          scroll={{ x: 'max-content' }}
          expandable={{ expandedRowRender: (event) => <EventDetails event={event} t={t} /> }}
          pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
        />
      </Space>
    </>
  );
}
