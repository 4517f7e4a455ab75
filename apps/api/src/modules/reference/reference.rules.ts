import type { PolicyUnit, UnitKind } from '../../platform/db-schema.js';

/**
 * Converts a count printed in 万 (ten thousands) to persons, exactly: `0.448` → 4480. Decimal
 * strings are parsed digit by digit because 0.448 * 10000 is 4479.999… in floating point.
 */
export function tenThousandsToPersons(printed: string): number {
  const text = printed.trim();
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) {
    throw new RangeError(`"${printed}" is not a count in 万 with at most 4 decimals`);
  }
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(4, '0');
  return Number(whole) * 10_000 + Number(fraction);
}

/** Optional variant: an empty cell means "no target". */
export function tenThousandsToPersonsOrNull(printed: string | undefined): number | null {
  return printed === undefined || printed.trim() === '' ? null : tenThousandsToPersons(printed);
}

const MONEY_KINDS = new Set(['evaluation_subsidy', 'hiring_subsidy', 'placement_subsidy']);

/** What a policy figure counts: money (stored in fen), persons, a percentage or a count. */
export function policyUnitOf(kind: string, key: string): PolicyUnit {
  if (MONEY_KINDS.has(kind)) return 'fen';
  if (key.endsWith('_pct')) return 'percent';
  if (key.endsWith('_min')) return 'count';
  return 'persons';
}

/** Yuan as printed (integer or with up to two decimals) → integer fen. */
export function yuanToFen(printed: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(printed.trim());
  if (!match) throw new RangeError(`"${printed}" is not an amount in yuan`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export interface UnitRef {
  id: string;
  canonicalName: string;
  aliases: readonly string[];
  kind: UnitKind;
}

/** Collective names the plans use for "every county government" and "every city department". */
const ALL_COUNTY_GOVERNMENTS = /^各县[(（〔]市、区[)）〕]人民政府$/;
const ALL_CITY_DEPARTMENTS = /^市直各部门$/;

/**
 * Resolves a plan's "responsible units" text (names separated by ;) to unit ids, in order,
 * without duplicates. Throws on a name no unit carries, so a typo in the data cannot silently
 * drop a unit from a plan.
 */
export function resolvePlanUnits(text: string, units: readonly UnitRef[]): string[] {
  const byName = new Map<string, string>();
  for (const unit of units) {
    byName.set(unit.canonicalName, unit.id);
    for (const alias of unit.aliases) byName.set(alias, unit.id);
  }
  const ids: string[] = [];
  const add = (id: string) => {
    if (!ids.includes(id)) ids.push(id);
  };
  for (const raw of text.split(/[;；]/)) {
    const name = raw.trim();
    if (name === '') continue;
    if (ALL_COUNTY_GOVERNMENTS.test(name)) {
      units.filter((u) => u.kind === 'county').forEach((u) => add(u.id));
    } else if (ALL_CITY_DEPARTMENTS.test(name)) {
      units.filter((u) => u.kind === 'department').forEach((u) => add(u.id));
    } else {
      const id = byName.get(name);
      if (!id) throw new Error(`Plan names an unknown responsible unit: "${name}"`);
      add(id);
    }
  }
  return ids;
}
