import type { DbOrTrx } from '../../platform/db.js';
import { createRegionHistory, validateIdNumber, type RegionHistory } from './id-number.rules.js';

// Address-code history is reference data, the same in every database: load it once.
let history: Promise<RegionHistory> | undefined;

async function loadHistory(db: DbOrTrx): Promise<RegionHistory> {
  const codes = await db
    .selectFrom('addressCodes')
    .select(['code', 'sinceYear', 'untilYear'])
    .execute();
  const statisticsOnly = await db
    .selectFrom('regions')
    .select('code')
    .where('statisticsOnly', '=', true)
    .execute();
  return createRegionHistory(
    codes,
    statisticsOnly.map((r) => r.code),
  );
}

/** GB 11643 checks with the address-code history from the database. */
export async function checkIdNumber(db: DbOrTrx, raw: string, today: string) {
  history ??= loadHistory(db).catch((error: unknown) => {
    history = undefined;
    throw error;
  });
  return validateIdNumber(raw, { today, regions: await history });
}
