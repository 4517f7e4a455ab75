import type { DbOrTrx } from '../../platform/db.js';

/** The revoked certificates' status-list indexes and the highest index handed out so far. */
export async function revocationState(
  db: DbOrTrx,
): Promise<{ revoked: number[]; highestIndex: number }> {
  const [revoked, highest] = await Promise.all([
    db
      .selectFrom('certificates')
      .select('statusListIndex')
      .where('status', '=', 'revoked')
      .execute(),
    db
      .selectFrom('certificates')
      .select((eb) => eb.fn.max('statusListIndex').as('highest'))
      .executeTakeFirst(),
  ]);
  return {
    revoked: revoked.map((r) => r.statusListIndex),
    highestIndex: highest?.highest ?? -1,
  };
}
