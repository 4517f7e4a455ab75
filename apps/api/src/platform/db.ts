import pg from 'pg';
import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './db-schema.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Repositories take either, so a service can run them inside its transaction. */
export type DbOrTrx = Db | Trx;

// bigint (int8) and numeric come back as strings by default; counts and fen fit in a JS number
// up to 2^53, which is 90 trillion yuan, so parse int8 to number and keep numeric as string.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Civil dates stay strings (YYYY-MM-DD): a Date would shift them across time zones.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface DbOptions {
  url: string;
  /** Pool size; the default suits a 2-core machine. */
  max?: number;
  applicationName?: string;
}

export function createPool(options: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'jineng',
    // Every session speaks Shanghai time for date_trunc and ::date casts in reports.
    options: '-c TimeZone=Asia/Shanghai',
  });
  // A client losing its connection must not crash the process: an idle one is reported on the
  // pool, a checked-out one (a transaction in flight when the server stops, a failover) on the
  // client itself, whose statement fails with the error anyway.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function createDb(options: DbOptions): Db {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: createPool(options) }),
    plugins: [new CamelCasePlugin()],
  });
}

/** `%text%` for LIKE/ILIKE, with % and _ (and backslash) taken as the characters a user typed. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
