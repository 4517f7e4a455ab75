import { describe, expect, it } from 'vitest';
import {
  policyUnitOf,
  resolvePlanUnits,
  tenThousandsToPersons,
  tenThousandsToPersonsOrNull,
  yuanToFen,
  type UnitRef,
} from './reference.rules.js';

describe('tenThousandsToPersons', () => {
  it.each([
    ['0.448', 4480],
    ['1.9', 19000],
    ['3.5', 35000],
    ['0.004', 40],
    ['0.169', 1690],
    ['0.047', 470],
    ['6.5', 65000],
    ['0', 0],
    ['12', 120000],
  ])('reads %s万 as exactly %i persons', (printed, persons) => {
    expect(tenThousandsToPersons(printed)).toBe(persons);
  });

  it('refuses what is not a count in 万', () => {
    expect(() => tenThousandsToPersons('1.23456')).toThrow(RangeError);
    expect(() => tenThousandsToPersons('-1')).toThrow(RangeError);
    expect(() => tenThousandsToPersons('一万')).toThrow(RangeError);
  });

  it('treats an empty cell as no target', () => {
    expect(tenThousandsToPersonsOrNull('')).toBeNull();
    expect(tenThousandsToPersonsOrNull(undefined)).toBeNull();
    expect(tenThousandsToPersonsOrNull('0.45')).toBe(4500);
  });
});

describe('policy amounts', () => {
  it('stores subsidies in fen and goals in their own unit', () => {
    expect(policyUnitOf('evaluation_subsidy', 'level5_junior')).toBe('fen');
    expect(policyUnitOf('hiring_subsidy', 'sme_cap_per_enterprise')).toBe('fen');
    expect(policyUnitOf('goal_2025', 'certified_share_of_employed_pct')).toBe('percent');
    expect(policyUnitOf('goal_2025', 'evaluation_institutions_min')).toBe('count');
    expect(policyUnitOf('goal_2025', 'training_person_times')).toBe('persons');
  });

  it('converts yuan to integer fen without floating point', () => {
    expect(yuanToFen('2000000')).toBe(200_000_000);
    expect(yuanToFen('0.29')).toBe(29);
    expect(yuanToFen('380')).toBe(38_000);
    expect(() => yuanToFen('1.234')).toThrow(RangeError);
  });
});

describe('resolvePlanUnits', () => {
  const units: UnitRef[] = [
    { id: 'A1-01', canonicalName: '梁园区', aliases: [], kind: 'county' },
    {
      id: 'A1-03',
      canonicalName: '城乡一体化示范区',
      aliases: ['城乡一体化示范区管委会'],
      kind: 'county',
    },
    { id: 'A2-23', canonicalName: '市邮政管理局', aliases: ['市邮政局'], kind: 'department' },
    { id: 'X-01', canonicalName: '市城市管理局', aliases: [], kind: 'department' },
  ];

  it('resolves aliases and keeps the order of the text', () => {
    expect(resolvePlanUnits('市城市管理局;市邮政局', units)).toEqual(['X-01', 'A2-23']);
  });

  it('expands the collective names without duplicates', () => {
    expect(
      resolvePlanUnits('各县(市、区)人民政府;城乡一体化示范区管委会;市直各部门', units),
    ).toEqual(['A1-01', 'A1-03', 'A2-23', 'X-01']);
  });

  it('refuses a unit name nobody carries', () => {
    expect(() => resolvePlanUnits('市不存在局', units)).toThrow('市不存在局');
  });
});
