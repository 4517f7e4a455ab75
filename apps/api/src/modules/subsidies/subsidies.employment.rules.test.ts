import { describe, expect, it } from 'vitest';
import {
  addMonths,
  applyCap,
  capReachedReason,
  firstInsuredRun,
  hiringFacts,
  hiringPayer,
  placementFacts,
  priorWindow,
  qualifyingCertificate,
} from './subsidies.employment.rules.js';

/** `count` consecutive month first-days from `from` (YYYY-MM). */
function months(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${addMonths(from, i)}-01`);
}

const CERT = { id: 'c1', number: 'S00004100000126500001', issuedOn: '2025-03-01', status: 'valid' };

describe('months', () => {
  it('moves across year ends both ways', () => {
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2025-03', -12)).toBe('2024-03');
    expect(addMonths('2025-03', 11)).toBe('2026-02');
  });

  it('checks the 12 calendar months before the hire month', () => {
    expect(priorWindow('2025-03-15')).toEqual({ from: '2024-03', to: '2025-02' });
  });
});

describe('insured runs', () => {
  it('finds 12 in a row only when the 12th month arrives', () => {
    expect(firstInsuredRun(months('2025-03', 11), 12, '2025-03', null)).toBeNull();
    expect(firstInsuredRun(months('2025-03', 12), 12, '2025-03', null)).toEqual({
      from: '2025-03',
      to: '2026-02',
      count: 12,
    });
  });

  it('restarts the count after a gap', () => {
    const gap = [...months('2025-03', 6), ...months('2025-10', 11)];
    expect(firstInsuredRun(gap, 12, '2025-03', null)).toBeNull();
    expect(firstInsuredRun([...gap, '2026-09-01'], 12, '2025-03', null)).toEqual({
      from: '2025-10',
      to: '2026-09',
      count: 12,
    });
  });

  it('ignores months before the start and after the end', () => {
    expect(firstInsuredRun(months('2025-02', 12), 12, '2025-03', null)).toBeNull();
    expect(firstInsuredRun(months('2025-03', 12), 12, '2025-03', '2026-01')).toBeNull();
    expect(firstInsuredRun(months('2025-03', 12), 12, '2025-03', '2026-02')).not.toBeNull();
  });
});

describe('the qualifying certificate', () => {
  it('is the earliest valid one issued on or before the day', () => {
    const later = { ...CERT, id: 'c2', issuedOn: '2025-04-01' };
    const revoked = { ...CERT, id: 'c0', issuedOn: '2024-01-01', status: 'revoked' };
    const earlier = { ...CERT, id: 'c3', issuedOn: '2025-01-01' };
    expect(qualifyingCertificate([later, revoked, CERT, earlier], '2025-03-15')?.id).toBe('c3');
    expect(qualifyingCertificate([later, revoked], '2025-03-15')).toBeNull();
    expect(qualifyingCertificate([CERT], '2025-03-01')?.id).toBe('c1');
    expect(qualifyingCertificate([CERT], '2025-02-28')).toBeNull();
  });
});

describe('hiring', () => {
  const base = {
    sizeClass: 'small',
    hiredOn: '2025-03-15',
    endedOn: null,
    certificates: [CERT],
    months: months('2025-03', 12),
  };

  it('earns the subsidy with an SME, a certificate and 12 insured months', () => {
    expect(hiringFacts(base)).toEqual({
      eligible: true,
      certificate: CERT,
      insured: { from: '2025-03', to: '2026-02', count: 12 },
      prior: { from: '2024-03', to: '2025-02' },
    });
  });

  it('refuses a large employer, a missing certificate and too few months', () => {
    expect(hiringFacts({ ...base, sizeClass: 'large' })).toEqual({
      eligible: false,
      reason: 'NOT_SME',
    });
    expect(hiringFacts({ ...base, hiredOn: '2025-02-28' })).toMatchObject({
      eligible: false,
      reason: 'NO_CERTIFICATE',
    });
    expect(hiringFacts({ ...base, months: months('2025-03', 11) })).toEqual({
      eligible: false,
      reason: 'NOT_YET_INSURED_12_MONTHS',
    });
  });

  it('refuses a hire insured by the same employer 12 months before, not 13', () => {
    expect(hiringFacts({ ...base, months: ['2024-03-01', ...base.months] })).toEqual({
      eligible: false,
      reason: 'INSURED_BEFORE',
    });
    expect(hiringFacts({ ...base, months: ['2024-02-01', ...base.months] }).eligible).toBe(true);
  });
});

describe('placement', () => {
  it('needs 6 insured months from the placement month', () => {
    const input = { placedOn: '2025-03-10', certificates: [CERT] };
    expect(placementFacts({ ...input, months: months('2025-03', 5) })).toEqual({
      eligible: false,
      reason: 'NOT_YET_INSURED_6_MONTHS',
    });
    expect(placementFacts({ ...input, months: months('2025-03', 6) })).toMatchObject({
      eligible: true,
      insured: { from: '2025-03', to: '2025-08', count: 6 },
    });
    expect(
      placementFacts({ ...input, placedOn: '2025-02-28', months: months('2025-03', 6) }),
    ).toEqual({ eligible: false, reason: 'NO_CERTIFICATE' });
  });
});

describe('the enterprise cap', () => {
  const CAP = 200_000_000;

  it('pays in full, cuts the claim that crosses the cap, then refuses', () => {
    expect(applyCap(100_000, CAP, 199_900_000)).toEqual({ kind: 'full', amountFen: 100_000 });
    expect(applyCap(100_000, CAP, 199_950_000)).toEqual({
      kind: 'cut',
      amountFen: 50_000,
      policyAmountFen: 100_000,
      remainingFen: 50_000,
    });
    expect(applyCap(100_000, CAP, CAP)).toEqual({ kind: 'cap_reached', remainingFen: 0 });
    expect(applyCap(100_000, CAP, CAP + 1)).toEqual({ kind: 'cap_reached', remainingFen: 0 });
  });

  it('says why in Chinese with the code', () => {
    expect(capReachedReason(CAP)).toBe('企业吸纳就业补贴累计已达上限 ¥2,000,000 (CAP_REACHED)');
  });
});

describe('who pays a hiring subsidy', () => {
  it('is the county of a county-affiliated employer, else the city', () => {
    expect(
      hiringPayer({ regionCode: '411403', affiliation: 'county', affiliationRegionCode: '411481' }),
    ).toEqual({ payerRegionCode: '411481', regionCode: '411481' });
    expect(
      hiringPayer({ regionCode: '411403', affiliation: 'city', affiliationRegionCode: null }),
    ).toEqual({ payerRegionCode: null, regionCode: '411403' });
  });
});
