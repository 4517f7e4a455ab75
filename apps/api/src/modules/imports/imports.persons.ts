import { shanghaiDate } from '../../platform/clock.js';
import type { Scope } from '../../platform/auth/roles.js';
import type { AuthContext, RequestMeta } from '../auth/auth.service.js';
import { createRegionHistory, validateIdNumber } from '../persons/id-number.rules.js';
import { importPersonRows, type PersonImportRow } from '../persons/persons.import.js';
import { PERSON_FIELDS, PERSON_HEADERS, type PersonField } from './imports.headers.js';
import * as repo from './imports.repository.js';
import {
  EXAMPLE_MARK,
  KeyGroupResolver,
  parsePersonRow,
  RegionResolver,
  type PersonRowContext,
} from './imports.rows.js';
import {
  runImport,
  type ImportDeps,
  type ImportFile,
  type ImportOptions,
  type ImportPipeline,
  type ImportSummary,
} from './imports.service.js';
import { writeTemplate } from './imports.workbook.js';

const SHANGQIU = '411400';

/** Loads what parsing a person row needs once per import: regions, key groups, code history. */
async function personRowContext(deps: ImportDeps, scope: Scope): Promise<PersonRowContext> {
  const [regions, keyGroups, history] = await Promise.all([
    repo.loadRegions(deps.db, SHANGQIU),
    repo.loadKeyGroups(deps.db),
    repo.loadAddressHistory(deps.db),
  ]);
  const today = shanghaiDate(deps.clock.now());
  const regionHistory = createRegionHistory(history.periods, history.statisticsOnly);
  return {
    regions: new RegionResolver(regions, SHANGQIU),
    keyGroups: new KeyGroupResolver(keyGroups),
    validateId: (raw) => validateIdNumber(raw, { today, regions: regionHistory }),
    scope,
  };
}

/**
 * Imports a person roster (R-REG-4): `POST /api/imports/persons` and `jineng import persons`.
 * Rows are validated here (ID number, sex against the ID, phone, regions, key groups, in-file
 * duplicates, the county administrator's county) and committed through the persons service,
 * which decides imported / updated / unchanged and refuses to overwrite recorded fields unless
 * `overwrite` is chosen. The importer's scope links the persons to their unit or institution.
 */
export async function importPersons(
  deps: ImportDeps,
  auth: AuthContext | null,
  file: ImportFile,
  options: ImportOptions,
  meta: RequestMeta,
): Promise<ImportSummary> {
  const scope = auth?.scope ?? { kind: 'city' as const };
  const context = await personRowContext(deps, scope);
  const pipeline: ImportPipeline<PersonField, PersonImportRow> = {
    kind: 'persons',
    spec: PERSON_HEADERS,
    parse(cells, mapping) {
      const parsed = parsePersonRow(cells, mapping, context);
      if (parsed.kind !== 'row') return parsed;
      return {
        kind: 'row',
        dedupeKey: parsed.idNumber,
        row: parsed.row,
        problems: parsed.problems,
      };
    },
    async commit(trx, rows, importId) {
      const outcomes = await importPersonRows(
        trx,
        { pii: deps.pii, clock: deps.clock },
        auth,
        rows,
        { overwrite: options.overwrite, importId },
      );
      return outcomes.map((outcome) =>
        outcome.kind === 'rejected'
          ? outcome
          : { kind: outcome.kind as 'imported' | 'updated' | 'unchanged' },
      );
    },
    duplicate: {
      field: 'idNumber',
      message: (earlier) => `与第 ${earlier} 行的身份证号码重复，同一人只需填写一行。`,
    },
  };
  return runImport(deps, auth, file, options, meta, pipeline);
}

/** The persons template: canonical headers and one example row (skipped on import). */
export function personsTemplate(): Promise<Buffer> {
  return writeTemplate(
    PERSON_HEADERS,
    PERSON_FIELDS.filter((field) => field !== 'ethnicity'),
    {
      name: '张三',
      idNumber: '11010519491231002X',
      sex: '男',
      phone: '13800000000',
      householdRegion: '商丘市梁园区',
      residenceRegion: '商丘市梁园区',
      keyGroups: '农村转移劳动力、脱贫人口',
      education: '高中',
      employmentStatus: '未就业',
      note: '',
    },
    EXAMPLE_MARK,
  );
}
