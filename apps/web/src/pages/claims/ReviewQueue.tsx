import { Button, Checkbox, Flex, Segmented, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useClaims, type Claim, type ClaimKind } from '../../api/evaluations';
import { CLAIM_KINDS } from './claimCatalog';
import type { Me } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { yuan } from '../vouchers/voucherCatalog';
import { ReviewDrawer } from './ReviewDrawer';
import { listPagination } from '../../components/pagination';

type Stage = 'submitted' | 'first_approved';
const KINDS: readonly ClaimKind[] = CLAIM_KINDS;
const DEFAULT_PAGE_SIZE = 20;

/** Whether `me` may do the final review: a city-wide account (a county does the first only). */
export function mayReviewFinally(me: Me | null | undefined): boolean {
  return !!me && me.scope.kind === 'city';
}

/**
 * 待审核: the claims awaiting a review by `me` — a county administrator the first review of its
 * payees' claims, the city the final review (and the first too) — each opened in the drawer.
 */
export function ReviewQueue({ me }: { me: Me }) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const canFinal = mayReviewFinally(me);
  const stages: Stage[] = canFinal ? ['first_approved', 'submitted'] : ['submitted'];
  const defaultStage = stages[0] as Stage;
  const requested = params.get('status');
  const stage = stages.find((s) => s === requested) ?? defaultStage;
  const kind = KINDS.find((k) => k === params.get('kind'));
  const flagged = params.get('flagged') === 'true' ? true : undefined;
  const page = readPositiveInt(params, 'page', 1);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const [openId, setOpenId] = useState<string | null>(null);
  const { data, error, isFetching, refetch } = useClaims({
    status: stage,
    kind,
    flagged,
    page,
    pageSize,
  });
  const defaults = { page: 1, pageSize: DEFAULT_PAGE_SIZE, status: defaultStage };
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, defaults));
  const columns: TableColumnsType<Claim> = [
    {
      title: t('claim.number'),
      dataIndex: 'number',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    {
      title: t('claim.kind'),
      dataIndex: 'kind',
      render: (value: ClaimKind) => t(`claim.kind.${value}`),
    },
    { title: t('claim.payee'), dataIndex: 'payeeName' },
    { title: t('claim.person'), dataIndex: 'personName' },
    {
      title: t('claim.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
    {
      title: t('claim.status'),
      key: 'status',
      render: (_, claim) => (
        <>
          <Tag color="blue">{t(`claim.status.${claim.status}`)}</Tag>
          {claim.flagged ? (
            <Tooltip title={claim.flagReason ?? undefined}>
              <Tag color="red">{t('claim.flagged')}</Tag>
            </Tooltip>
          ) : null}
        </>
      ),
    },
    {
      title: t('claim.createdAt'),
      dataIndex: 'createdAt',
      responsive: ['sm'],
      render: (value: string) => formatDateTime(value),
    },
    {
      title: t('common.actions'),
      key: 'review',
      render: (_, claim) => (
        <Button
          size="small"
          type="primary"
          aria-label={`${t('review.open')} ${claim.number}`}
          onClick={() => setOpenId(claim.id)}
        >
          {t('review.open')}
        </Button>
      ),
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Flex gap={12} wrap align="center">
        {stages.length > 1 ? (
          <Segmented<Stage>
            aria-label={t('review.stage')}
            value={stage}
            onChange={(value) => update({ status: value, page: undefined })}
            options={stages.map((s) => ({ value: s, label: t(`review.stage.${s}`) }))}
          />
        ) : (
          <Tag>{t(`review.stage.${stage}`)}</Tag>
        )}
        <Select<ClaimKind | 'all'>
          aria-label={t('claim.kind')}
          style={{ minWidth: 140 }}
          value={kind ?? 'all'}
          onChange={(value) =>
            update({ kind: value === 'all' ? undefined : value, page: undefined })
          }
          options={[
            { value: 'all', label: t('review.kind.all') },
            ...KINDS.map((k) => ({ value: k, label: t(`claim.kind.${k}`) })),
          ]}
        />
        <Checkbox
          checked={flagged === true}
          onChange={(e) =>
            update({ flagged: e.target.checked ? 'true' : undefined, page: undefined })
          }
        >
          {t('review.flaggedOnly')}
        </Checkbox>
      </Flex>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<Claim>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
      />
      <ReviewDrawer claimId={openId} canFinal={canFinal} onClose={() => setOpenId(null)} />
    </Space>
  );
}
