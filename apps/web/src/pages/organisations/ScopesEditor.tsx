import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useDeferredValue, useState } from 'react';
import { api } from '../../api/client';
import { queries, useScopes, useSkillLevels } from '../../api/queries';
import type { ApprovedScope, Site } from '../../api/types';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { useLocale, useT, type Translate } from '../../i18n';

const DATE = 'YYYY-MM-DD';

/** Where an approval stands on `today`: 生效中, 未开始 or 已结束. */
export function scopeState(scope: ApprovedScope, today: string): 'active' | 'upcoming' | 'ended' {
  if (today < scope.validFrom) return 'upcoming';
  if (today > scope.validTo) return 'ended';
  return 'active';
}

const STATE_COLORS = { active: 'green', upcoming: 'blue', ended: 'default' } as const;

/** An occupation of the catalog (level 4), found by code or name as the user types. */
function OccupationSelect({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
}) {
  const t = useT();
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const { data, isFetching } = useQuery({
    ...queries.occupations({ q, level: 4, pageSize: 20 }),
    enabled: q.length > 0,
  });
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={t('scopes.occupation.placeholder')}
      loading={isFetching}
      notFoundContent={q ? t('scopes.occupation.none') : t('scopes.occupation.type')}
      options={(q ? (data?.items ?? []) : []).map((occupation) => ({
        value: occupation.code,
        label: `${occupation.code} ${occupation.name}`,
      }))}
    />
  );
}

interface ApproveValues {
  occupationCode?: string;
  skillLevelKey?: string;
  validity?: [Dayjs, Dayjs];
}

const APPROVE_FIELDS = ['occupationCode', 'skillLevelKey', 'validFrom', 'validTo'] as const;

function ApproveForm({ organisationId, site }: { organisationId: string; site: Site }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<ApproveValues>();
  const levels = useSkillLevels();
  const approve = useMutation({
    mutationFn: (values: ApproveValues) =>
      api.organisations.approveScope(organisationId, site.id, {
        occupationCode: values.occupationCode ?? '',
        skillLevelKey: values.skillLevelKey ?? '',
        validFrom: values.validity?.[0].format(DATE) ?? '',
        validTo: values.validity?.[1].format(DATE) ?? '',
      }),
    onSuccess: (scope) => {
      void client.invalidateQueries({
        queryKey: ['organisations', 'scopes', organisationId, site.id],
      });
      form.resetFields();
      void message.success(t('scopes.approved', { name: scope.occupationName }));
    },
    onError: (error) => {
      // The validity is one field here and two in the API.
      const { fields } = fieldErrorsOf(error, APPROVE_FIELDS, t);
      form.setFields(
        fields.map(({ name, errors }) => ({
          name: name === 'validFrom' || name === 'validTo' ? ('validity' as const) : name,
          errors,
        })),
      );
    },
  });
  const unplaced = approve.error ? fieldErrorsOf(approve.error, APPROVE_FIELDS, t).unplaced : false;

  return (
    <Form<ApproveValues>
      // One form per site on the page: the name keeps their field ids apart.
      name={`approve-${site.id}`}
      form={form}
      layout="vertical"
      disabled={approve.isPending}
      onFinish={(values) => approve.mutate(values)}
    >
      {approve.error && unplaced ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(approve.error, t)}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Row gutter={12} align="bottom">
        <Col xs={24} lg={9}>
          <Form.Item
            name="occupationCode"
            label={t('scopes.occupation')}
            rules={[{ required: true, message: t('scopes.occupation.required') }]}
          >
            <OccupationSelect />
          </Form.Item>
        </Col>
        <Col xs={24} sm={10} lg={5}>
          <Form.Item
            name="skillLevelKey"
            label={t('scopes.skillLevel')}
            rules={[{ required: true, message: t('scopes.skillLevel.required') }]}
          >
            <Select<string>
              loading={levels.isPending}
              options={(levels.data?.items ?? []).map((level) => ({
                value: level.key,
                label: locale === 'en' ? level.nameEn : level.name,
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={14} lg={7}>
          <Form.Item
            name="validity"
            label={t('scopes.validity')}
            rules={[{ required: true, message: t('scopes.validity.required') }]}
          >
            <DatePicker.RangePicker
              style={{ width: '100%' }}
              placeholder={[t('scopes.validFrom'), t('scopes.validTo')]}
            />
          </Form.Item>
        </Col>
        <Col xs={24} lg={3}>
          <Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              icon={<PlusOutlined />}
              loading={approve.isPending}
              block
            >
              {t('scopes.approve')}
            </Button>
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );
}

/** 提前终止: the approval's last day becomes the chosen day (today by default). */
function EndScopeModal({
  organisationId,
  siteId,
  scope,
  onClose,
}: {
  organisationId: string;
  siteId: string;
  scope: ApprovedScope;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ validTo: Dayjs; reason?: string }>();
  const end = useMutation({
    mutationFn: (values: { validTo: Dayjs; reason?: string }) =>
      api.organisations.endScope(organisationId, siteId, scope.id, {
        validTo: values.validTo.format(DATE),
        reason: values.reason?.trim() || undefined,
      }),
    onSuccess: () => {
      void client.invalidateQueries({
        queryKey: ['organisations', 'scopes', organisationId, siteId],
      });
      void message.success(t('scopes.ended'));
      onClose();
    },
    onError: (error) => form.setFields(fieldErrorsOf(error, ['validTo', 'reason'], t).fields),
  });
  const from = dayjs(scope.validFrom);
  const to = dayjs(scope.validTo);
  const today = dayjs().startOf('day');
  const initial = today.isBefore(from) ? from : today.isAfter(to) ? to : today;
  const unplaced = end.error ? fieldErrorsOf(end.error, ['validTo', 'reason'], t).unplaced : false;

  return (
    <Modal
      open
      title={t('scopes.end.title', {
        name: scope.occupationName,
        level: scope.skillLevelName,
      })}
      okText={t('scopes.end')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={end.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('scopes.end.hint', { from: scope.validFrom, to: scope.validTo })}
      </Typography.Paragraph>
      {end.error && unplaced ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(end.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form
        name="endScope"
        form={form}
        layout="vertical"
        initialValues={{ validTo: initial }}
        onFinish={(values) => end.mutate(values)}
      >
        <Form.Item
          name="validTo"
          label={t('scopes.end.lastDay')}
          rules={[{ required: true, message: t('scopes.validity.required') }]}
        >
          <DatePicker
            disabledDate={(day) => day.isBefore(from, 'day') || day.isAfter(to, 'day')}
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('scopes.end.reason')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function stateTag(scope: ApprovedScope, today: string, t: Translate) {
  const state = scopeState(scope, today);
  return <Tag color={STATE_COLORS[state]}>{t(`scopes.state.${state}`)}</Tag>;
}

/**
 * What a site is approved to evaluate (评价目录): the approvals, and for those who may approve,
 * a form to add one and a way to end one early. Read-only for everyone else.
 */
export function ScopesEditor({
  organisationId,
  site,
  canApprove,
}: {
  organisationId: string;
  site: Site;
  canApprove: boolean;
}) {
  const t = useT();
  const { data, error, isFetching, refetch } = useScopes(organisationId, site.id);
  const [ending, setEnding] = useState<ApprovedScope | null>(null);
  const today = dayjs().format(DATE);

  const columns: TableColumnsType<ApprovedScope> = [
    {
      title: t('scopes.occupation'),
      key: 'occupation',
      render: (_: unknown, scope) => (
        <Space orientation="vertical" size={0}>
          <span>{scope.occupationName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
            {scope.occupationCode}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('scopes.skillLevel'), dataIndex: 'skillLevelName' },
    {
      title: t('scopes.validity'),
      key: 'validity',
      render: (_: unknown, scope) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {scope.validFrom} ~ {scope.validTo}
        </span>
      ),
    },
    {
      title: t('scopes.state'),
      key: 'state',
      render: (_: unknown, scope) => stateTag(scope, today, t),
    },
  ];
  if (canApprove) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, scope) =>
        scopeState(scope, today) === 'ended' ? null : (
          <Button type="link" size="small" danger onClick={() => setEnding(scope)}>
            {t('scopes.end')}
          </Button>
        ),
    });
  }

  return (
    <div>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Text strong>{t('scopes.title')}</Typography.Text>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<ApprovedScope>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('scopes.empty') }}
        />
        {canApprove ? (
          <Card size="small" title={t('scopes.new')} styles={{ body: { paddingBottom: 0 } }}>
            <ApproveForm organisationId={organisationId} site={site} />
          </Card>
        ) : null}
      </Space>
      {ending ? (
        <EndScopeModal
          organisationId={organisationId}
          siteId={site.id}
          scope={ending}
          onClose={() => setEnding(null)}
        />
      ) : null}
    </div>
  );
}
