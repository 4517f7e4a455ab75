import type { BatchStatus, LineStatus, SkipReason } from '../../api/payments';
import { useRegions } from '../../api/queries';
import { SHANGQIU } from '../../deployment';
import type { Translate } from '../../i18n';

/** Every batch status, in the order of a batch's life. */
export const BATCH_STATUSES = [
  'open',
  'exported',
  'settled',
] as const satisfies readonly BatchStatus[];

// A status added to the API but not above is a type error here.
const _allBatchStatusesListed: [Exclude<BatchStatus, (typeof BATCH_STATUSES)[number]>] extends [
  never,
]
  ? true
  : false = true;

export const BATCH_STATUS_COLORS: Record<BatchStatus, string> = {
  open: 'blue',
  exported: 'gold',
  settled: 'green',
};

export const LINE_STATUS_COLORS: Record<LineStatus, string> = {
  pending: 'default',
  paid: 'green',
  failed: 'red',
};

export const SKIP_REASONS = [
  'NO_BANK_ACCOUNT',
  'FLAGGED',
  'NOT_APPROVED',
  'OTHER_FUND',
] as const satisfies readonly SkipReason[];

const _allSkipReasonsListed: [Exclude<SkipReason, (typeof SKIP_REASONS)[number]>] extends [never]
  ? true
  : false = true;

/** The value of the payer select for the city (the API's `payerRegionCode: null`). */
export const CITY_PAYER = 'city';

/** The payer choices: the city (市级) and each Shangqiu county. */
export function usePayerOptions(t: Translate): { value: string; label: string }[] {
  const counties = useRegions({ parent: SHANGQIU });
  return [
    { value: CITY_PAYER, label: t('claim.payer.city') },
    ...(counties.data?.items ?? []).map((region) => ({ value: region.code, label: region.name })),
  ];
}

/** Yuan as typed (at most two decimals) to fen; `null` when it is not such an amount. */
export function fenOf(yuanText: string): number | null {
  const trimmed = yuanText.trim();
  if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(trimmed)) return null;
  const [whole = '0', decimals = ''] = trimmed.split('.');
  const fen = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}
