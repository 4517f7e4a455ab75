import { sql } from 'kysely';
import type { Db, DbOrTrx } from '../../platform/db.js';

/*
 * Keeping the counts (migrations/0016_statistics.sql). Facts mark persons in stat_dirty_persons
 * in their own transactions (triggers); folding recomputes a marked person's events from
 * stat_events and applies the difference to stat_daily and stat_monthly. Readers fold first, so
 * the figures they show include every committed fact.
 */

/** One folder at a time: two folders adjusting the same count rows could wait on each other. */
const FOLD_LOCK = 0x5_7a7_0001;

const EVENT_COLUMNS = sql.raw(
  'person_id, measure, on_date, unit_id, county_unit_id, plan_no, occupation_code, ' +
    'skill_level_key, source, record_id',
);
const DAILY_KEY = sql.raw(
  'on_date, unit_id, county_unit_id, plan_no, occupation_code, skill_level_key',
);
const MONTHLY_KEY = sql.raw('month, unit_id, county_unit_id, plan_no');

/** The three counts of a group of signed events `d` (+1 new, -1 gone). */
const SIGNED_COUNTS = sql.raw(
  "coalesce(sum(d) FILTER (WHERE measure = 'training'), 0)::integer, " +
    "coalesce(sum(d) FILTER (WHERE measure = 'skilled'), 0)::integer, " +
    "coalesce(sum(d) FILTER (WHERE measure = 'high_skilled'), 0)::integer",
);
const ADD_COUNTS = sql.raw(
  'training = s.training + excluded.training, skilled = s.skilled + excluded.skilled, ' +
    'high_skilled = s.high_skilled + excluded.high_skilled',
);

/** Folds up to `batch` marked persons in one transaction; returns how many it folded. */
async function foldBatch(db: Db, batch: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${FOLD_LOCK})`.execute(trx);
    const picked = await sql<{ personId: string }>`
      DELETE FROM stat_dirty_persons
       WHERE person_id IN (SELECT person_id FROM stat_dirty_persons
                            ORDER BY person_id LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      RETURNING person_id`.execute(trx);
    if (picked.rows.length === 0) return 0;
    // An array parameter, not a join: the planner pushes `person_id = ANY(…)` down into the
    // counting views' DISTINCT ON and window partitions, so only these persons are computed.
    const ids = picked.rows.map((r) => r.personId);
    await sql`
      WITH old AS (
        DELETE FROM stat_person_events WHERE person_id = ANY(${ids}::uuid[])
        RETURNING ${EVENT_COLUMNS}
      ), new AS (
        INSERT INTO stat_person_events (${EVENT_COLUMNS})
        SELECT ${EVENT_COLUMNS} FROM stat_events WHERE person_id = ANY(${ids}::uuid[])
        RETURNING ${EVENT_COLUMNS}
      ), delta AS (
        SELECT measure, ${DAILY_KEY}, sum(d)::integer AS d
          FROM (SELECT *, -1 AS d FROM old UNION ALL SELECT *, 1 AS d FROM new) x
         GROUP BY measure, ${DAILY_KEY}
        HAVING sum(d) <> 0
      ), daily AS (
        INSERT INTO stat_daily AS s (${DAILY_KEY}, training, skilled, high_skilled)
        SELECT ${DAILY_KEY}, ${SIGNED_COUNTS} FROM delta
         GROUP BY ${DAILY_KEY} ORDER BY ${DAILY_KEY}
        ON CONFLICT ON CONSTRAINT stat_daily_key DO UPDATE SET ${ADD_COUNTS}
      )
      INSERT INTO stat_monthly AS s (${MONTHLY_KEY}, training, skilled, high_skilled)
      SELECT ${MONTHLY_KEY}, ${SIGNED_COUNTS}
        FROM (SELECT date_trunc('month', on_date::timestamp)::date AS month, * FROM delta) m
       GROUP BY ${MONTHLY_KEY} ORDER BY ${MONTHLY_KEY}
      ON CONFLICT ON CONSTRAINT stat_monthly_key DO UPDATE SET ${ADD_COUNTS}`.execute(trx);
    return ids.length;
  });
}

/**
 * Folds every marked person, in batches of `batch` (each its own transaction). Returns how many
 * persons were folded. Called before figures are read and by the minute job.
 */
export async function foldStatistics(db: Db, options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 2000;
  // Most reads find nothing marked: answer that without a transaction or the lock.
  const marked = await sql<{ pending: boolean }>`
    SELECT EXISTS (SELECT 1 FROM stat_dirty_persons) AS pending`.execute(db);
  if (!marked.rows[0]?.pending) return 0;
  let total = 0;
  for (;;) {
    const folded = await foldBatch(db, batch);
    total += folded;
    if (folded < batch) return total;
  }
}

/**
 * Rebuilds every count from the facts in one transaction (after a bulk load, or to check the
 * incremental fold). Needs TRUNCATE: run it as the database owner (the bench's city generator,
 * `jineng statistics rebuild`).
 */
export async function rebuildStatistics(db: Db): Promise<void> {
  await db.transaction().execute((trx) => rebuildIn(trx));
}

async function rebuildIn(db: DbOrTrx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${FOLD_LOCK})`.execute(db);
  await sql`TRUNCATE stat_dirty_persons, stat_person_events, stat_daily, stat_monthly`.execute(db);
  await sql`INSERT INTO stat_person_events (${EVENT_COLUMNS})
            SELECT ${EVENT_COLUMNS} FROM stat_events`.execute(db);
  await sql`
    INSERT INTO stat_daily (${DAILY_KEY}, training, skilled, high_skilled)
    SELECT ${DAILY_KEY}, ${SIGNED_COUNTS}
      FROM (SELECT *, 1 AS d FROM stat_person_events) e
     GROUP BY ${DAILY_KEY}`.execute(db);
  await sql`
    INSERT INTO stat_monthly (${MONTHLY_KEY}, training, skilled, high_skilled)
    SELECT date_trunc('month', on_date::timestamp)::date AS month, unit_id, county_unit_id,
           plan_no, sum(training)::integer, sum(skilled)::integer, sum(high_skilled)::integer
      FROM stat_daily
     GROUP BY 1, 2, 3, 4`.execute(db);
}
