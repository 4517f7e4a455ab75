import { Alert, Descriptions } from 'antd';
import type { DescriptionsProps } from 'antd';
import type { ReactNode } from 'react';
import type { Claim } from '../../api/evaluations';
import { RegionName } from '../../components/RegionSelect';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { AFFILIATIONS, SIZE_CLASSES } from '../organisations/organisationCatalog';
import { HenanRegionName } from '../placements/HenanCountySelect';
import { yuan } from '../vouchers/voucherCatalog';

/** Yuan with thousands separators, for sentences: 200000000 fen → "2,000,000.00". */
export function groupedYuan(fen: number): string {
  const [whole = '0', cents = '00'] = yuan(fen).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

type Record_ = Record<string, unknown>;

const isRecord = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

function monthsRun(value: unknown, t: Translate): ReactNode {
  if (!isRecord(value)) return null;
  const from = str(value.from);
  const to = str(value.to);
  const count = num(value.count);
  if (!from || !to || count === null) return null;
  return t('evidence.insuredMonths.value', { from, to, count });
}

function priorRun(value: unknown, t: Translate): ReactNode {
  if (!isRecord(value)) return null;
  const from = str(value.from);
  const to = str(value.to);
  if (!from || !to) return null;
  return t('evidence.priorMonthsChecked.value', { from, to });
}

function policyText(value: unknown, t: Translate): ReactNode {
  if (!isRecord(value)) return null;
  const amount = num(value.amountFen);
  if (amount === null) return null;
  return t('evidence.policy.value', {
    amount: groupedYuan(amount),
    from: str(value.effectiveFrom) ?? t('common.none'),
  });
}

function capText(value: unknown, t: Translate): ReactNode {
  if (!isRecord(value)) return null;
  const amount = num(value.amountFen);
  if (amount === null) return null;
  return t('evidence.cap.value', {
    amount: groupedYuan(amount),
    used: groupedYuan(num(value.usedFen) ?? 0),
  });
}

function sizeClassText(value: unknown, t: Translate): ReactNode {
  const known = SIZE_CLASSES.find((candidate) => candidate === value);
  return known ? t(`organisation.sizeClass.${known}`) : str(value);
}

function affiliationText(value: unknown, t: Translate): ReactNode {
  const known = AFFILIATIONS.find((candidate) => candidate === value);
  return known ? t(`organisation.affiliation.${known}`) : str(value);
}

const mono = (value: unknown): ReactNode =>
  typeof value === 'string' ? <span style={{ fontFamily: 'monospace' }}>{value}</span> : null;

/** Who pays a hiring claim by the employer's 隶属关系: the city, or the county named. */
export function PayerName({ code }: { code: string | null }) {
  const t = useT();
  return code === null ? <>{t('claim.payer.city')}</> : <RegionName code={code} />;
}

/**
 * The evidence of a hiring (R-SUB-3) or placement (R-SUB-4) claim on one screen: the employer,
 * the certificate, the insured months that made it due, and for a hire the months checked
 * before it, the size class, who pays and — when the enterprise cap cut the amount — by how much.
 */
export function EmploymentEvidence({ claim }: { claim: Claim }) {
  const t = useT();
  const e = claim.evidence;
  const hiring = claim.kind === 'hiring';
  const rows: [MessageKey, ReactNode][] = hiring
    ? [
        ['evidence.employerName', str(e.employerName)],
        ['evidence.employerUscc', mono(e.employerUscc)],
        ['evidence.hiredOn', str(e.hiredOn)],
        ['evidence.endedOn', str(e.endedOn)],
        [
          'evidence.claimYear',
          num(e.claimYear) === null
            ? null
            : t('evidence.claimYear.value', { year: Number(e.claimYear) }),
        ],
        ['evidence.certificateNumber', mono(e.certificateNumber)],
        ['evidence.certificateIssuedOn', str(e.certificateIssuedOn)],
        ['evidence.insuredMonths', monthsRun(e.insuredMonths, t)],
        ['evidence.priorMonthsChecked', priorRun(e.priorMonthsChecked, t)],
        ['evidence.sizeClass', sizeClassText(e.sizeClass, t)],
        ['evidence.affiliation', affiliationText(e.affiliation, t)],
        ['claim.payer', <PayerName key="payer" code={claim.payerRegionCode} />],
        ['evidence.policy', policyText(e.policy, t)],
        ['evidence.cap', capText(e.cap, t)],
      ]
    : [
        ['evidence.agencyName', str(e.agencyName)],
        ['evidence.employerName', str(e.employerName)],
        ['evidence.employerUscc', mono(e.employerUscc)],
        [
          'evidence.employerRegionCode',
          str(e.employerRegionCode) ? (
            <HenanRegionName key="region" code={String(e.employerRegionCode)} />
          ) : null,
        ],
        ['evidence.placedOn', str(e.placedOn)],
        ['evidence.certificateNumber', mono(e.certificateNumber)],
        ['evidence.certificateIssuedOn', str(e.certificateIssuedOn)],
        ['evidence.insuredMonths', monthsRun(e.insuredMonths, t)],
        ['evidence.policy', policyText(e.policy, t)],
      ];
  const items: DescriptionsProps['items'] = rows.map(([key, value]) => ({
    key,
    label: t(key),
    children: value ?? t('common.none'),
  }));
  const cut = isRecord(e.capCut) ? e.capCut : null;
  const policyFen = cut ? num(cut.policyAmountFen) : null;
  const remainingFen = cut ? num(cut.remainingFen) : null;
  return (
    <>
      {policyFen !== null && remainingFen !== null ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="cap-cut"
          title={t('evidence.capCut', {
            policy: groupedYuan(policyFen),
            remaining: groupedYuan(remainingFen),
          })}
        />
      ) : null}
      <Descriptions title={t('review.evidence')} column={1} size="small" bordered items={items} />
    </>
  );
}
