import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Select, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { can } from '../../access';
import { useSessions, type EvaluationSession } from '../../api/evaluations';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { SESSION_STATES, SessionStateTag, sessionLevel } from './evaluationCatalog';
import { SampleModal } from './SampleModal';
import { ScheduleSessionModal } from './ScheduleSessionModal';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };
type SessionState = EvaluationSession['state'];

/**
 * 技能评价: an evaluation institution's sessions (and scheduling a new one); administrators see
 * the sessions of their scope and may sample one (抽查).
 */
export default function EvaluationsPage() {
  const t = useT();
  const me = useAccount();
  const [params, setParams] = useSearchParams();
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const rawState = params.get('state');
  const state = SESSION_STATES.find((value) => value === rawState);
  const { data, error, isFetching, refetch } = useSessions({ state, page, pageSize });
  const [scheduling, setScheduling] = useState(false);
  const [sampling, setSampling] = useState<EvaluationSession | null>(null);
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));

  const columns: TableColumnsType<EvaluationSession> = [
    {
      title: t('evaluation.heldOn'),
      dataIndex: 'heldOn',
      render: (heldOn: string, session) => <Link to={`/evaluations/${session.id}`}>{heldOn}</Link>,
    },
    {
      title: t('evaluation.occupation'),
      dataIndex: 'occupationName',
      render: (name: string, session) => `${session.occupationCode} ${name}`,
    },
    { title: t('evaluation.level'), key: 'level', render: (_, session) => sessionLevel(session) },
    { title: t('evaluation.institution'), dataIndex: 'organisationName', responsive: ['lg'] },
    { title: t('evaluation.site'), dataIndex: 'siteName', responsive: ['md'] },
    { title: t('evaluation.candidates'), dataIndex: 'candidateCount', align: 'right' },
    {
      title: t('evaluation.state'),
      key: 'state',
      render: (_, session) => <SessionStateTag session={session} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, session) => (
        <Space size={4}>
          <Link to={`/evaluations/${session.id}`}>{t('evaluation.open')}</Link>
          {can(me, 'evaluations.sample') ? (
            <Button type="link" size="small" onClick={() => setSampling(session)}>
              {t('evaluation.sample')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle titleKey="evaluations.title" descriptionKey="evaluations.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <Flex gap={12} wrap justify="space-between" align="center">
            <Form layout="inline" name="sessionFilters">
              <Form.Item label={t('evaluation.state')}>
                <Select<SessionState>
                  allowClear
                  style={{ minWidth: 140 }}
                  value={state}
                  onChange={(value) => update({ state: value, page: undefined })}
                  options={SESSION_STATES.map((value) => ({
                    value,
                    label: t(`evaluation.state.${value}`),
                  }))}
                />
              </Form.Item>
            </Form>
            {can(me, 'evaluations.manage') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setScheduling(true)}>
                {t('evaluations.schedule')}
              </Button>
            ) : null}
          </Flex>
        </Card>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<EvaluationSession>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          scroll={{ x: 'max-content' }}
          pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
        />
      </Space>
      {can(me, 'evaluations.manage') ? (
        <ScheduleSessionModal open={scheduling} onClose={() => setScheduling(false)} />
      ) : null}
      {sampling ? <SampleModal session={sampling} onClose={() => setSampling(null)} /> : null}
    </>
  );
}
