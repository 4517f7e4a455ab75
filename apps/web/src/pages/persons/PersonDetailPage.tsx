import { ArrowLeftOutlined, EditOutlined, EyeOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Grid, Space, Spin, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { can, ROLES } from '../../access';
import { api } from '../../api/client';
import { ApiError } from '../../api/problem';
import { queries, usePerson } from '../../api/queries';
import type { Me, Person, PersonHistoryEvent } from '../../api/types';
import { useAccount } from '../../auth/session';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { InitialPasswordModal, type InitialPassword } from '../../components/InitialPasswordModal';
import { useDocumentTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT, type Translate } from '../../i18n';
import { isAuditAction } from '../audit/auditCatalog';
import { EditPersonDrawer } from './PersonForm';
import { PersonDescriptions } from './PersonDescriptions';
import { PersonEmployment, PersonSubsidies } from './PersonEmployment';
import { ReviewTag } from './PersonTags';
import { REVIEW_WARNINGS } from './personCatalog';
import { RevealModal } from './RevealModal';

const HISTORY_PAGE_SIZE = 10;

function warningText(code: string, t: Translate): string {
  const known = REVIEW_WARNINGS.find((candidate) => candidate === code);
  return known ? t(`person.warning.${known}`) : code;
}

function roleText(role: string | null, t: Translate): string {
  if (role === null || role === 'system') return t('audit.system');
  const known = ROLES.find((candidate) => candidate === role);
  return known ? t(`role.${known}`) : role;
}

function History({ personId }: { personId: string }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const { data, error, isFetching, refetch } = useQuery(
    queries.personHistory(personId, page, HISTORY_PAGE_SIZE),
  );
  const columns: TableColumnsType<PersonHistoryEvent> = [
    {
      title: t('audit.col.time'),
      dataIndex: 'occurredAt',
      render: (value: string) => (
        <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(value, true)}</span>
      ),
    },
    {
      title: t('audit.col.action'),
      dataIndex: 'action',
      render: (value: string, event) =>
        isAuditAction(value) ? t(`audit.action.${value}`) : event.actionDescription,
    },
    {
      title: t('audit.col.actor'),
      key: 'actor',
      render: (_: unknown, event) => (
        <Space orientation="vertical" size={0}>
          <span>{event.actorUsername ?? t('audit.system')}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {roleText(event.actorRole, t)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('audit.col.outcome'),
      dataIndex: 'outcome',
      responsive: ['sm'],
      render: (value: string) =>
        value === 'success' || value === 'denied' || value === 'failed'
          ? t(`audit.outcome.${value}`)
          : value,
    },
  ];
  return (
    <Card title={t('personDetail.history')} size="small">
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<PersonHistoryEvent>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('personDetail.history.empty') }}
        pagination={{
          current: page,
          pageSize: HISTORY_PAGE_SIZE,
          total: data?.total ?? 0,
          hideOnSinglePage: true,
          onChange: setPage,
        }}
      />
    </Card>
  );
}

function Actions({ person, me, onEdit }: { person: Person; me: Me; onEdit: () => void }) {
  const t = useT();
  const { message, modal } = App.useApp();
  const [initialPassword, setInitialPassword] = useState<InitialPassword | null>(null);
  // Never a query: the full number is not cached; `gcTime: 0` drops it from the mutation cache
  // as soon as the modal lets go of it.
  const client = useQueryClient();
  const reveal = useMutation({
    mutationFn: () => api.persons.reveal(person.id),
    gcTime: 0,
    // The view is now in the record's audit trail.
    onSuccess: () => void client.invalidateQueries({ queryKey: ['persons', 'history', person.id] }),
    onError: (error) => void message.error(describeError(error, t)),
  });

  const invite = () =>
    modal.confirm({
      title: t('personDetail.invite.confirm', { name: person.name }),
      content: t('personDetail.invite.hint'),
      okText: t('personDetail.invite'),
      cancelText: t('common.cancel'),
      onOk: () =>
        api.persons.invite(person.id).then(
          (result) =>
            setInitialPassword({
              username: result.username,
              password: result.initialPassword,
              reason: 'created',
            }),
          (error: unknown) =>
            void message.error(
              // Workers log in with their phone: a person without one cannot be invited.
              error instanceof ApiError &&
                error.problem?.errors?.some((e) => e.path === '/body/phone')
                ? t('personDetail.invite.noPhone')
                : describeError(error, t),
            ),
        ),
    });

  return (
    <Flex gap={8} wrap>
      {can(me, 'persons.write') ? (
        <Button icon={<EditOutlined />} onClick={onEdit}>
          {t('personDetail.edit')}
        </Button>
      ) : null}
      {can(me, 'persons.reveal') ? (
        <Button icon={<EyeOutlined />} loading={reveal.isPending} onClick={() => reveal.mutate()}>
          {t('personDetail.reveal')}
        </Button>
      ) : null}
      {can(me, 'persons.invite') ? (
        <Button icon={<UserAddOutlined />} onClick={invite}>
          {t('personDetail.invite')}
        </Button>
      ) : null}
      <RevealModal name={person.name} value={reveal.data} onClose={() => reveal.reset()} />
      <InitialPasswordModal value={initialPassword} onClose={() => setInitialPassword(null)} />
    </Flex>
  );
}

export default function PersonDetailPage() {
  const t = useT();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const me = useAccount();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const { data: person, error, isPending, refetch } = usePerson(id);
  const [editing, setEditing] = useState(false);
  useDocumentTitle(person?.name ?? t('personDetail.title'));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/persons">
        <ArrowLeftOutlined /> {t('personDetail.back')}
      </Link>
      {isPending ? <Spin style={{ display: 'block', marginTop: 48 }} /> : null}
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      {person ? (
        <>
          <Flex gap={12} wrap justify="space-between" align="center">
            <Space size={8} wrap>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {person.name}
              </Typography.Title>
              <ReviewTag warnings={person.reviewWarnings} t={t} />
            </Space>
            <Actions person={person} me={me} onEdit={() => setEditing(true)} />
          </Flex>
          {person.reviewWarnings.length > 0 ? (
            <Card size="small" title={t('person.review')}>
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {person.reviewWarnings.map((code) => (
                  <li key={code}>{warningText(code, t)}</li>
                ))}
              </ul>
            </Card>
          ) : null}
          <PersonDescriptions person={person} />
          {can(me, 'employment.read') ? <PersonEmployment personId={person.id} /> : null}
          {can(me, 'subsidies.read') ? <PersonSubsidies personId={person.id} /> : null}
          {can(me, 'persons.history') ? <History personId={person.id} /> : null}
          {editing ? (
            <EditPersonDrawer
              person={person}
              open
              width={isPhone ? '100%' : 520}
              onClose={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                void message.success(t('personDetail.saved'));
              }}
              onReload={async () => (await refetch()).data}
            />
          ) : null}
        </>
      ) : null}
    </Space>
  );
}
