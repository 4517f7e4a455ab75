import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../platform/errors.js';
import { hasPermission, permissionsOf, scopeOf } from '../../platform/auth/roles.js';
import * as authRepo from '../auth/auth.repository.js';
import type { AuthContext, RequestMeta } from '../auth/auth.service.js';
import { importOrganisations } from './imports.organisations.js';
import { importPersons } from './imports.persons.js';
import {
  downloadFailedRows,
  type ImportDeps,
  type ImportProgress,
  type ImportSummary,
} from './imports.service.js';

export interface ImportCommandOptions {
  kind: 'persons' | 'organisations';
  file: string;
  dryRun: boolean;
  overwrite: boolean;
  /** Import as this account (its scope links and limits the rows); else as the system. */
  as?: string;
  /** Write the failed-rows workbook here too. */
  failedRows?: string;
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Exit codes: 0 all rows in, 2 some rows rejected; a failure throws (the CLI exits 1). */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 2;

async function actingAs(deps: ImportDeps, options: ImportCommandOptions) {
  if (options.as === undefined) return null;
  const user = await authRepo.findUserByUsername(deps.db, options.as);
  if (!user || user.status !== 'active') {
    throw new DomainError('NOT_FOUND', `No active account "${options.as}"`);
  }
  const permission = options.kind === 'persons' ? 'persons.import' : 'organisations.import';
  if (!hasPermission(user.role, permission)) {
    throw new DomainError('FORBIDDEN', `A ${user.role} account may not import ${options.kind}`);
  }
  const auth: AuthContext = {
    sessionId: 'cli',
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      regionCode: user.regionCode,
      unitId: user.unitId,
      organisationId: user.organisationId,
      personId: user.personId,
      mustChangePassword: false,
    },
    scope: scopeOf(user),
    permissions: permissionsOf(user.role),
  };
  return auth;
}

const BAR_WIDTH = 30;

/** A one-line progress bar on stderr (a terminal only), by spreadsheet rows. */
function progressBar(stderr: ImportCommandOptions['stderr']) {
  let last = 0;
  let drawn = false;
  return {
    update(progress: ImportProgress) {
      const now = Date.now();
      const finished = progress.rowNumber >= progress.estimatedRows;
      if (!stderr.isTTY || (now - last < 100 && !finished)) return;
      last = now;
      drawn = true;
      const ratio =
        progress.estimatedRows > 0 ? Math.min(1, progress.rowNumber / progress.estimatedRows) : 1;
      const filled = Math.round(ratio * BAR_WIDTH);
      const percent = String(Math.round(ratio * 100)).padStart(3);
      stderr.write(
        `\r[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${percent}%  ` +
          `${progress.rowNumber.toLocaleString('en')} / ${progress.estimatedRows.toLocaleString('en')} 行`,
      );
    },
    done() {
      if (drawn) stderr.write('\n');
    },
  };
}

/** The report as text: totals, then each problem on its own line. */
export function formatReport(summary: ImportSummary): string {
  const title = summary.status === 'dry_run' ? '校验完成（试导入，未写入任何数据）' : '导入完成';
  const lines = [
    `${title}: ${summary.fileName}`,
    `  新增 imported ${summary.imported}   更新 updated ${summary.updated}   ` +
      `未变 unchanged ${summary.unchanged}   拒绝 rejected ${summary.rejectedRows} 行`,
  ];
  for (const problem of summary.rejected) {
    const column = problem.column ? `[${problem.column}] ` : '';
    lines.push(`  第 ${problem.row} 行 ${column}${problem.code}: ${problem.message}`);
  }
  if (summary.rejectedTotal > summary.rejected.length) {
    lines.push(`  … 另有 ${summary.rejectedTotal - summary.rejected.length} 个问题，见失败行文件`);
  }
  if (summary.failedRowsUrl) {
    lines.push(
      `  失败行 failed rows: ${summary.failedRowsUrl} (保存至 ${summary.failedRowsExpiresAt})`,
    );
  }
  lines.push(`  import id: ${summary.importId}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `jineng import persons|organisations FILE`: the same pipeline, limits and report as the
 * upload, run on a local file, with a progress bar on stderr. Returns the exit code.
 */
export async function runImportCommand(
  deps: ImportDeps,
  options: ImportCommandOptions,
): Promise<number> {
  const auth = await actingAs(deps, options);
  const meta: RequestMeta = {
    requestId: 'cli',
    ip: null,
    userAgent: `jineng import ${options.kind}`,
  };
  const bar = progressBar(options.stderr);
  const run = options.kind === 'persons' ? importPersons : importOrganisations;
  let summary: ImportSummary;
  try {
    summary = await run(
      deps,
      auth,
      { path: options.file, name: path.basename(options.file) },
      { dryRun: options.dryRun, overwrite: options.overwrite, onProgress: bar.update },
      meta,
    );
  } finally {
    bar.done();
  }
  options.stdout.write(
    options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatReport(summary),
  );
  if (options.failedRows && summary.failedRowsUrl) {
    const { content } = await downloadFailedRows(deps, auth, summary.importId, meta);
    await writeFile(options.failedRows, content, { mode: 0o600 });
    options.stderr.write(`失败行已写入 ${options.failedRows}\n`);
  }
  return summary.rejectedRows > 0 ? EXIT_REJECTED : EXIT_OK;
}
