import { systemClock, type Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { JobHandler, JobLogger, ScheduleDefinition } from '../../platform/jobs/index.js';
import { anchorPendingAuditDays, anchorsDirOf, chainHead, sealAuditEvents } from './audit.chain.js';
import { loadOrCreateAuditSigningKey, type AuditSigningKey } from './audit.keys.js';

export interface AuditJobsOptions {
  db: Db;
  /** `$JINENG_DATA_DIR`: the signing key lives in its keys/, anchor files in audit-anchors/. */
  dataDir: string;
  logger: JobLogger;
  clock?: Clock;
}

export interface AuditJobs {
  handlers: Record<string, JobHandler>;
  schedules: ScheduleDefinition[];
}

/**
 * The audit trail's background work, for `startJobRunner`: seal every minute, so a row is
 * tamper-evident within about a minute of its commit, and at 00:10 Shanghai time anchor the days
 * that have ended (10 minutes lets the last seals of the day land first). Both are idempotent,
 * as the runner requires, and run safely in several processes at once.
 */
export function auditJobs(options: AuditJobsOptions): AuditJobs {
  const { db, dataDir, logger } = options;
  const clock = options.clock ?? systemClock;
  // Loaded once on first use; a failed load (e.g. unreadable file) is retried next time.
  let key: Promise<AuditSigningKey> | undefined;
  const signingKey = () => {
    key ??= loadOrCreateAuditSigningKey(dataDir).catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
  };
  return {
    handlers: {
      'audit.seal': async (_payload, ctx) => {
        const sealed = await sealAuditEvents(db, { signal: ctx.signal });
        if (sealed === 0) return { sealed };
        // The head goes to the log too: a copy outside the database between daily anchors.
        const head = await chainHead(db);
        logger.info({ auditHead: head, sealed }, 'audit events sealed');
        return { sealed, lastSeq: head.seq, headHash: head.hash };
      },
      'audit.anchor': async () => {
        const anchored = await anchorPendingAuditDays(db, {
          key: await signingKey(),
          anchorsDir: anchorsDirOf(dataDir),
          logger,
          now: clock.now(),
        });
        return { anchored };
      },
    },
    schedules: [
      { name: 'audit-seal', cron: '* * * * *', jobName: 'audit.seal', payload: {} },
      { name: 'audit-anchor', cron: '10 0 * * *', jobName: 'audit.anchor', payload: {} },
    ],
  };
}
