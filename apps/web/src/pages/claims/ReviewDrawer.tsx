import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Input,
  Select,
  Table,
  Tag,
} from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import {
  subsidiesApi,
  useClaim,
  useClaimEvents,
  type Claim,
  type ClaimEvent,
  type ClaimKind,
  type ReviewBody,
} from '../../api/evaluations';
import { useSkillLevels } from '../../api/queries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';
import { useT, type Translate } from '../../i18n';
import { yuan } from '../vouchers/voucherCatalog';
import { EmploymentEvidence, PayerName } from './EmploymentEvidence';

const FUND_CODES = ['employment_subsidy', 'unemployment_insurance', 'fiscal'] as const;

/** A fund's Chinese (or English) name; a code this interface does not know, as written. */
export function fundLabel(t: Translate, code: string): string {
  const known = FUND_CODES.find((candidate) => candidate === code);
  return known ? t(`fund.${known}`) : code;
}

/**
 * The funds a final reviewer may name and the claim kinds each may pay (docs/subsidies.md,
 * `fund_claim_kinds`). The API has no funds endpoint; the server refuses a fund not allowed for
 * the kind with FUND_NOT_ALLOWED, so this list only narrows the choice.
 */
export const FUNDS: readonly {
  code: (typeof FUND_CODES)[number];
  kinds: readonly ClaimKind[] | 'all';
}[] = [
  { code: 'employment_subsidy', kinds: 'all' },
  { code: 'unemployment_insurance', kinds: ['training'] },
  { code: 'fiscal', kinds: 'all' },
];

export function fundsFor(kind: ClaimKind): string[] {
  return FUNDS.filter((f) => f.kinds === 'all' || f.kinds.includes(kind)).map((f) => f.code);
}

/** Evidence keys shown, in order; ids and other keys not listed are left out. */
const EVIDENCE_KEYS = [
  'voucherNumber',
  'valueFen',
  'subsidyStandardFen',
  'rule',
  'className',
  'classEndsAt',
  'completedAt',
  'completionResult',
  'certificateNumber',
  'certificateIssuedOn',
  'issuedOn',
  'certificateSkillLevelKey',
  'skillLevelKey',
  'policyEffectiveFrom',
  'policySource',
] as const;

type EvidenceKey = (typeof EVIDENCE_KEYS)[number];

function evidenceValue(
  key: EvidenceKey,
  value: unknown,
  t: Translate,
  levelName: (key: string) => string,
): ReactNode {
  if (value === null || value === undefined || value === '') return t('common.none');
  switch (key) {
    case 'valueFen':
    case 'subsidyStandardFen':
      return typeof value === 'number' ? t('claim.yuan', { amount: yuan(value) }) : String(value);
    case 'rule':
      return value === 'min(valueFen, subsidyStandardFen)' ? t('evidence.rule.min') : String(value);
    case 'classEndsAt':
    case 'completedAt':
      return typeof value === 'string' ? formatDateTime(value) : String(value);
    case 'certificateSkillLevelKey':
    case 'skillLevelKey':
      return levelName(String(value));
    case 'voucherNumber':
    case 'certificateNumber':
      return <span style={{ fontFamily: 'monospace' }}>{String(value)}</span>;
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value as string);
  }
}

/** The claim's evidence as labelled rows: what the amount was computed from. */
function Evidence({ claim }: { claim: Claim }) {
  if (claim.kind === 'hiring' || claim.kind === 'placement') {
    return <EmploymentEvidence claim={claim} />;
  }
  return <CertificateEvidence claim={claim} />;
}

/** Training and evaluation claims: the voucher, class and certificate the amount rests on. */
function CertificateEvidence({ claim }: { claim: Claim }) {
  const t = useT();
  const levels = useSkillLevels();
  const levelName = (key: string) =>
    levels.data?.items.find((level) => level.key === key)?.name ?? key;
  const items: DescriptionsProps['items'] = EVIDENCE_KEYS.filter(
    (key) => key in claim.evidence,
  ).map((key) => ({
    key,
    label: t(`evidence.${key}`),
    children: evidenceValue(key, claim.evidence[key], t, levelName),
  }));
  return (
    <Descriptions
      title={t('review.evidence')}
      column={1}
      size="small"
      bordered
      items={items.length > 0 ? items : [{ key: 'none', children: t('common.none') }]}
    />
  );
}

function History({ claimId }: { claimId: string }) {
  const t = useT();
  const { data, error, isFetching } = useClaimEvents(claimId);
  const columns: TableColumnsType<ClaimEvent> = [
    { title: t('claimEvent.at'), dataIndex: 'at', render: (at: string) => formatDateTime(at) },
    {
      title: t('claimEvent.action'),
      dataIndex: 'action',
      render: (action: ClaimEvent['action']) => t(`claimEvent.action.${action}`),
    },
    {
      title: t('claimEvent.status'),
      key: 'status',
      render: (_, event) =>
        `${event.fromStatus ? `${t(`claim.status.${event.fromStatus}`)} → ` : ''}${t(
          `claim.status.${event.toStatus}`,
        )}`,
    },
    {
      title: t('claimEvent.reason'),
      key: 'reason',
      render: (_, event) =>
        event.reason ??
        (typeof event.details.fundCode === 'string'
          ? fundLabel(t, event.details.fundCode)
          : t('common.none')),
    },
  ];
  return (
    <>
      <h4 style={{ margin: '16px 0 8px' }}>{t('review.history')}</h4>
      {error ? <ErrorAlert error={error} /> : null}
      <Table<ClaimEvent>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        pagination={false}
      />
    </>
  );
}

interface DecisionValues {
  fundCode?: string;
  reason?: string;
}

/** 通过 / 驳回, with the fund at the final stage and the reason for a rejection. */
function Decision({
  claim,
  canFinal,
  onDone,
}: {
  claim: Claim;
  canFinal: boolean;
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<DecisionValues>();
  const final = claim.status === 'first_approved';
  const review = useMutation({
    mutationFn: (body: ReviewBody) =>
      subsidiesApi.review(claim.id, body, globalThis.crypto.randomUUID()),
    onSuccess: (answer) => {
      if (answer.status === 'first_approved' || answer.status === 'approved') {
        void message.success(t(`review.done.${answer.status}`));
      } else if (answer.status === 'rejected') void message.success(t('review.done.rejected'));
      void queryClient.invalidateQueries({ queryKey: ['subsidyClaims'] });
      void queryClient.invalidateQueries({ queryKey: ['ledger'] });
      onDone();
    },
  });
  if (claim.status !== 'submitted' && claim.status !== 'first_approved') {
    return (
      <Alert
        type="info"
        showIcon
        title={t('review.notReviewable', { status: t(`claim.status.${claim.status}`) })}
      />
    );
  }
  if (final && !canFinal) return <Alert type="info" showIcon title={t('review.finalByCity')} />;
  const approve = async () => {
    const values = await form.validateFields(final ? ['fundCode'] : []);
    review.mutate(
      final ? { decision: 'approve', fundCode: values.fundCode } : { decision: 'approve' },
    );
  };
  const reject = async () => {
    const values = await form.validateFields(['reason']);
    review.mutate({ decision: 'reject', reason: (values.reason ?? '').trim() });
  };
  return (
    <Form<DecisionValues> form={form} layout="vertical" style={{ marginTop: 16 }}>
      {claim.flagged ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('review.flagged.warning', { reason: claim.flagReason ?? t('claim.flagged') })}
        />
      ) : null}
      {review.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={review.error} />
        </div>
      ) : null}
      {final ? (
        <Form.Item
          name="fundCode"
          label={t('claim.fund')}
          extra={t('review.fund.hint')}
          rules={[{ required: true, message: t('review.fund.required') }]}
        >
          <Select<string>
            options={fundsFor(claim.kind).map((code) => ({
              value: code,
              label: fundLabel(t, code),
            }))}
          />
        </Form.Item>
      ) : (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('review.firstStage.hint')}
        />
      )}
      <Form.Item
        name="reason"
        label={t('review.reason')}
        rules={[{ required: true, whitespace: true, message: t('review.reason.required') }]}
      >
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Flex gap={8} justify="flex-end">
        <Button
          danger
          loading={review.isPending}
          onClick={() => void reject().catch(() => undefined)}
        >
          {t('review.reject')}
        </Button>
        <Button
          type="primary"
          loading={review.isPending}
          disabled={claim.flagged}
          onClick={() => void approve().catch(() => undefined)}
        >
          {t('review.approve')}
        </Button>
      </Flex>
    </Form>
  );
}

function ClaimSummary({ claim }: { claim: Claim }) {
  const t = useT();
  const items: DescriptionsProps['items'] = [
    {
      key: 'number',
      label: t('claim.number'),
      children: <span style={{ fontFamily: 'monospace' }}>{claim.number}</span>,
    },
    { key: 'kind', label: t('claim.kind'), children: t(`claim.kind.${claim.kind}`) },
    { key: 'payee', label: t('claim.payee'), children: claim.payeeName },
    {
      key: 'person',
      label: t('claim.person'),
      children: `${claim.personName}（${claim.personIdNumberMasked}）`,
    },
    {
      key: 'amount',
      label: t('claim.amount'),
      children: t('claim.yuan', { amount: yuan(claim.amountFen) }),
    },
    {
      key: 'status',
      label: t('claim.status'),
      children: (
        <>
          <Tag color="blue">{t(`claim.status.${claim.status}`)}</Tag>
          {claim.flagged ? <Tag color="red">{t('claim.flagged')}</Tag> : null}
        </>
      ),
    },
    ...(claim.fundCode
      ? [{ key: 'fund', label: t('claim.fund'), children: fundLabel(t, claim.fundCode) }]
      : []),
    ...(claim.kind === 'hiring'
      ? [
          {
            key: 'payer',
            label: t('claim.payer'),
            children: <PayerName code={claim.payerRegionCode} />,
          },
        ]
      : []),
    ...(claim.status === 'rejected'
      ? [
          {
            key: 'rejectedBy',
            label: t('claim.rejectedBy'),
            // No reviewer named: the system refused it (e.g. the enterprise cap was reached).
            children:
              claim.rejectedBy === null
                ? t('claim.rejectedBy.system')
                : t('claim.rejectedBy.reviewer'),
          },
          ...(claim.rejectedAt
            ? [
                {
                  key: 'rejectedAt',
                  label: t('claim.rejectedAt'),
                  children: formatDateTime(claim.rejectedAt),
                },
              ]
            : []),
          {
            key: 'rejectionReason',
            label: t('claim.rejectionReason'),
            children: claim.rejectionReason ?? t('common.none'),
          },
        ]
      : []),
    { key: 'createdAt', label: t('claim.createdAt'), children: formatDateTime(claim.createdAt) },
  ];
  return <Descriptions title={t('review.claim')} column={1} size="small" bordered items={items} />;
}

/**
 * 审核: one claim with its evidence, its history and the decision, on one screen. `canFinal`:
 * the reviewer may do the final review (a city-wide account); the server checks again.
 */
export function ReviewDrawer({
  claimId,
  canFinal,
  onClose,
}: {
  claimId: string | null;
  canFinal: boolean;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Drawer
      open={claimId !== null}
      onClose={onClose}
      title={t('review.open')}
      size={640}
      destroyOnHidden
    >
      {claimId ? <ReviewBodyOf claimId={claimId} canFinal={canFinal} onDone={onClose} /> : null}
    </Drawer>
  );
}

function ReviewBodyOf({
  claimId,
  canFinal,
  onDone,
}: {
  claimId: string;
  canFinal: boolean;
  onDone: () => void;
}) {
  const { data: claim, error, refetch } = useClaim(claimId);
  const [done, setDone] = useState(false);
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (!claim) return null;
  return (
    <>
      <ClaimSummary claim={claim} />
      <div style={{ height: 16 }} />
      <Evidence claim={claim} />
      <History claimId={claimId} />
      {done ? null : (
        <Decision
          claim={claim}
          canFinal={canFinal}
          onDone={() => {
            setDone(true);
            onDone();
          }}
        />
      )}
    </>
  );
}
