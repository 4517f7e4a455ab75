import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createRegionHistory,
  validateIdNumber,
} from '../apps/api/src/modules/persons/id-number.rules.js';
import { validateUscc } from '../apps/api/src/modules/organisations/uscc.rules.js';
import {
  isVoucherNumber,
  VOUCHER_STATES,
} from '../apps/api/src/modules/vouchers/vouchers.rules.js';
import { isSkillLevelNumber } from '../apps/api/src/modules/certificates/certificates.rules.js';
import {
  CHUNK_SIZE,
  CITY_COLUMNS,
  cityPlan,
  generateChunk,
  initialCounters,
  organisationsOf,
  type Catalog,
} from './city.rules.js';
import { ROOT } from './lib.js';

function csv(file: string): string[][] {
  return readFileSync(path.join(ROOT, 'apps/api/reference', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
}

// Townships and key groups from the reference files the server loads; units and plans are a
// small stand-in (the generator reads the real ones from the database).
const divisions = csv('henan_admin_divisions.csv');
const townships: Record<string, string[]> = {};
for (const [code = '', , , level, , parent = ''] of divisions) {
  if (level === '4' && parent.startsWith('4114')) (townships[parent] ??= []).push(code);
}
const catalog: Catalog = {
  townships,
  keyGroups: csv('key_groups.csv').map((r) => r[0] ?? ''),
  countyUnits: { '411402': 'A1-01', '411403': 'A1-02' },
  planUnits: [
    { planNo: 1, unitId: 'A1-01' },
    { planNo: 1, unitId: 'A1-02' },
    { planNo: 2, unitId: 'A2-01' },
  ],
};
const history = createRegionHistory(
  csv('gbt2260_history_1981_2024.csv').map(([code = '', , , , , , since, until]) => ({
    code,
    sinceYear: Number(since),
    untilYear: until ? Number(until) : null,
  })),
  ['411471', '411472'],
);

describe('the synthetic city', () => {
  it('is the same city for the same seed: identical person rows, ids included', () => {
    const a = generateChunk(cityPlan(7, 25_000), catalog, 1, initialCounters());
    const b = generateChunk(cityPlan(7, 25_000), catalog, 1, initialCounters());
    expect(a.tables.persons.slice(0, 500)).toEqual(b.tables.persons.slice(0, 500));
    expect(a.tables.vouchers).toEqual(b.tables.vouchers);
    expect(a.counters).toEqual(b.counters);
    const other = generateChunk(cityPlan(8, 25_000), catalog, 1, initialCounters());
    expect(other.tables.persons[0]).not.toEqual(a.tables.persons[0]);
  });

  it('writes rows of the declared width and numbers persons by chunk', () => {
    const { tables, persons } = generateChunk(cityPlan(1, 12_345), catalog, 1, initialCounters());
    expect(persons).toHaveLength(12_345 - CHUNK_SIZE);
    expect(persons[0]?.index).toBe(CHUNK_SIZE);
    for (const [table, columns] of Object.entries(CITY_COLUMNS)) {
      for (const row of tables[table as keyof typeof CITY_COLUMNS]) {
        expect(row).toHaveLength(columns.length);
      }
    }
  });

  it("gives every person an ID number the app's validator accepts, without warnings", () => {
    const plan = cityPlan(3, 2 * CHUNK_SIZE);
    const seen = new Set<string>();
    for (const chunk of [0, 1]) {
      for (const person of generateChunk(plan, catalog, chunk, initialCounters()).persons) {
        const result = validateIdNumber(person.idNumber, { today: '2026-11-01', regions: history });
        expect(result).toMatchObject({ ok: true, sex: person.sex, birthDate: person.birthDate });
        if (result.ok) expect(result.warnings).toEqual([]);
        // Sequence numbers 400–999: never one of P1's roster numbers (100–399).
        expect(Number(person.idNumber.slice(14, 17))).toBeGreaterThanOrEqual(400);
        seen.add(person.idNumber);
      }
    }
    expect(seen.size).toBe(2 * CHUNK_SIZE);
  });

  it("gives every organisation a USCC the app's validator accepts, each once", () => {
    const { rows } = organisationsOf(cityPlan(1, 300_000));
    const codes = rows.map((r) => String(r[3]));
    for (const code of codes) expect(validateUscc(code)).toMatchObject({ ok: true });
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('holds vouchers in every state with well-formed numbers, even in a tiny city', () => {
    const { tables } = generateChunk(cityPlan(1, 200), catalog, 0, initialCounters());
    const state = CITY_COLUMNS.vouchers.indexOf('state');
    expect(new Set(tables.vouchers.map((r) => r[state]))).toEqual(new Set(VOUCHER_STATES));
    for (const r of tables.vouchers) expect(isVoucherNumber(String(r[1]))).toBe(true);
    for (const r of tables.certificates) expect(isSkillLevelNumber(String(r[1]))).toBe(true);
  });
});
