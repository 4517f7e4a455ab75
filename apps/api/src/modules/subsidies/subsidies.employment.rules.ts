/**
 * Pure rules of the hiring (R-SUB-3) and placement (R-SUB-4) subsidies: insured-month runs, the
 * certificate that qualifies, the enterprise cap and who pays. No I/O: the caller reads the
 * registrations, contributions and certificates and writes the claims.
 */

/** A calendar month as `YYYY-MM`. */
export type Month = string;

/** Insured months an employer must pay in a row after a hire (R-SUB-3). */
export const HIRING_INSURED_MONTHS = 12;
/** Months before the hire month in which the same employer must not have insured the person. */
export const HIRING_PRIOR_MONTHS = 12;
/** Insured months with the employer in a row after a placement (R-SUB-4). */
export const PLACEMENT_INSURED_MONTHS = 6;

/** The month of a civil date (`YYYY-MM-DD` or a contribution month's first day). */
export function monthOf(date: string): Month {
  return date.slice(0, 7);
}

/** `month` moved by `n` calendar months (n may be negative). */
export function addMonths(month: Month, n: number): Month {
  const year = Number(month.slice(0, 4));
  const index = year * 12 + Number(month.slice(5, 7)) - 1 + n;
  const y = Math.floor(index / 12);
  return `${String(y).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The months a hire must have no insurance by the same employer: the 12 before the hire month. */
export function priorWindow(hiredOn: string): { from: Month; to: Month } {
  const hireMonth = monthOf(hiredOn);
  return { from: addMonths(hireMonth, -HIRING_PRIOR_MONTHS), to: addMonths(hireMonth, -1) };
}

export interface InsuredRun {
  from: Month;
  to: Month;
  count: number;
}

/**
 * The earliest run of `needed` consecutive insured months, all within [from, to] (to: null is
 * open-ended), reported as exactly `needed` months; null while there is none yet.
 */
export function firstInsuredRun(
  months: readonly Month[],
  needed: number,
  from: Month,
  to: Month | null,
): InsuredRun | null {
  const inWindow = [...new Set(months.map(monthOf))]
    .filter((m) => m >= from && (to === null || m <= to))
    .sort();
  let runStart: Month | null = null;
  let length = 0;
  let previous: Month | null = null;
  for (const m of inWindow) {
    if (previous !== null && addMonths(previous, 1) === m) {
      length += 1;
    } else {
      runStart = m;
      length = 1;
    }
    previous = m;
    if (length >= needed && runStart !== null) {
      return { from: runStart, to: addMonths(runStart, needed - 1), count: needed };
    }
  }
  return null;
}

export interface HeldCertificate {
  id: string;
  number: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  status: string;
}

/** The earliest valid certificate issued on or before `day`, if any. */
export function qualifyingCertificate<C extends HeldCertificate>(
  certificates: readonly C[],
  day: string,
): C | null {
  let best: C | null = null;
  for (const c of certificates) {
    if (c.status !== 'valid' || c.issuedOn > day) continue;
    if (
      best === null ||
      c.issuedOn < best.issuedOn ||
      (c.issuedOn === best.issuedOn && c.id < best.id)
    ) {
      best = c;
    }
  }
  return best;
}

/** Whether an employer's size class makes it an SME (中小微企业): medium, small or micro. */
export function isSme(sizeClass: string | null): boolean {
  return sizeClass === 'medium' || sizeClass === 'small' || sizeClass === 'micro';
}

export type HiringFacts =
  | {
      eligible: true;
      certificate: HeldCertificate;
      insured: InsuredRun;
      prior: { from: Month; to: Month };
    }
  | {
      eligible: false;
      reason: 'NOT_SME' | 'NO_CERTIFICATE' | 'INSURED_BEFORE' | 'NOT_YET_INSURED_12_MONTHS';
    };

/**
 * Whether a hire earns the hiring subsidy, before the cap: an SME, a valid certificate issued on
 * or before the hire date, no insurance by this employer in the 12 months before the hire month,
 * then 12 consecutive insured months by it from the hire month on (up to the month it ended).
 * `months` are the contribution months paid by this employer for the person.
 */
export function hiringFacts(input: {
  sizeClass: string | null;
  hiredOn: string;
  endedOn: string | null;
  certificates: readonly HeldCertificate[];
  months: readonly Month[];
}): HiringFacts {
  if (!isSme(input.sizeClass)) return { eligible: false, reason: 'NOT_SME' };
  const certificate = qualifyingCertificate(input.certificates, input.hiredOn);
  if (!certificate) return { eligible: false, reason: 'NO_CERTIFICATE' };
  const prior = priorWindow(input.hiredOn);
  if (input.months.some((m) => monthOf(m) >= prior.from && monthOf(m) <= prior.to)) {
    return { eligible: false, reason: 'INSURED_BEFORE' };
  }
  const insured = firstInsuredRun(
    input.months,
    HIRING_INSURED_MONTHS,
    monthOf(input.hiredOn),
    input.endedOn === null ? null : monthOf(input.endedOn),
  );
  if (!insured) return { eligible: false, reason: 'NOT_YET_INSURED_12_MONTHS' };
  return { eligible: true, certificate, insured, prior };
}

export type PlacementFacts =
  | { eligible: true; certificate: HeldCertificate; insured: InsuredRun }
  | { eligible: false; reason: 'NO_CERTIFICATE' | 'NOT_YET_INSURED_6_MONTHS' };

/**
 * Whether a placement earns the placement subsidy (before the once-a-year rule): a valid
 * certificate issued on or before the placement day, then 6 consecutive insured months by the
 * employer placed with, from the placement month on.
 */
export function placementFacts(input: {
  placedOn: string;
  certificates: readonly HeldCertificate[];
  months: readonly Month[];
}): PlacementFacts {
  const certificate = qualifyingCertificate(input.certificates, input.placedOn);
  if (!certificate) return { eligible: false, reason: 'NO_CERTIFICATE' };
  const insured = firstInsuredRun(
    input.months,
    PLACEMENT_INSURED_MONTHS,
    monthOf(input.placedOn),
    null,
  );
  if (!insured) return { eligible: false, reason: 'NOT_YET_INSURED_6_MONTHS' };
  return { eligible: true, certificate, insured };
}

export type CapOutcome =
  | { kind: 'full'; amountFen: number }
  | { kind: 'cut'; amountFen: number; policyAmountFen: number; remainingFen: number }
  | { kind: 'cap_reached'; remainingFen: 0 };

/**
 * The enterprise cap (R-SUB-3): the amount that fits under `capFen` given what the employer's
 * standing claims already use — all of it, what remains (the claim says it was cut), or nothing.
 */
export function applyCap(policyAmountFen: number, capFen: number, usedFen: number): CapOutcome {
  const remainingFen = Math.max(0, capFen - usedFen);
  if (remainingFen >= policyAmountFen) return { kind: 'full', amountFen: policyAmountFen };
  if (remainingFen > 0) {
    return { kind: 'cut', amountFen: remainingFen, policyAmountFen, remainingFen };
  }
  return { kind: 'cap_reached', remainingFen: 0 };
}

/** The reason recorded on a hiring claim the system refuses because the cap is reached. */
export function capReachedReason(capFen: number): string {
  const yuan = (capFen / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
  return `企业吸纳就业补贴累计已达上限 ¥${yuan} (CAP_REACHED)`;
}

/**
 * Who pays a hiring subsidy, by the employer's 隶属关系: a county-affiliated employer's county
 * (which is also the claim's region), otherwise the city (payer null, region the employer's).
 */
export function hiringPayer(employer: {
  regionCode: string;
  affiliation: string | null;
  affiliationRegionCode: string | null;
}): { payerRegionCode: string | null; regionCode: string } {
  if (employer.affiliation === 'county' && employer.affiliationRegionCode) {
    return {
      payerRegionCode: employer.affiliationRegionCode,
      regionCode: employer.affiliationRegionCode,
    };
  }
  return { payerRegionCode: null, regionCode: employer.regionCode };
}
