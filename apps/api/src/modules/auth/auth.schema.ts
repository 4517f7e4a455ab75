import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../../platform/auth/roles.js';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
  unitId: string | null;
  organisationId: string | null;
  personId: string | null;
  /** Workers log in with their phone: the blind index of it (see 0005_create_persons.sql). */
  phoneBidx: string | null;
  passwordHash: string;
  mustChangePassword: Generated<boolean>;
  passwordChangedAt: Date | null;
  status: ColumnType<'active' | 'disabled', 'active' | 'disabled' | undefined>;
  failedLoginCount: Generated<number>;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export interface SessionsTable {
  id: string;
  tokenHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
}

/** The account tables, merged into `Database` in platform/db-schema.ts. */
export interface AccountTables {
  users: UsersTable;
  sessions: SessionsTable;
}
