import type { Clock } from '../../platform/clock.js';
import type { Trx } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskPhone, type PiiCipher } from '../../platform/crypto/index.js';
import { recordAudit } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import * as repo from './organisations.repository.js';
import type {
  Affiliation,
  EvaluationType,
  OrganisationKind,
  SizeClass,
} from './organisations.schema.js';
import { publicOrganisation } from './organisations.service.js';

/** One organisation row, parsed and checked, ready to commit. */
export interface OrganisationImportRow {
  kind: OrganisationKind;
  name: string;
  uscc: string | null;
  regionCode: string;
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
  evaluationType: EvaluationType | null;
  institutionCode: string | null;
  sizeClass: SizeClass | null;
  affiliation: Affiliation | null;
  affiliationRegionCode: string | null;
}

/** The fields of an organisation row; an import names the column each one came from. */
export type OrganisationField =
  | 'name'
  | 'uscc'
  | 'kind'
  | 'region'
  | 'address'
  | 'contactName'
  | 'contactPhone'
  | 'sizeClass'
  | 'affiliation'
  | 'evaluationType'
  | 'institutionCode';

export type OrganisationImportOutcome =
  | { kind: 'imported' | 'updated' | 'unchanged' }
  | { kind: 'rejected'; field: OrganisationField; code: string; message?: string };

const CONTACT_PHONE_FIELD = 'organisation.contact_phone';

/**
 * Commits organisation rows inside an import's transaction. A known unified
 * social credit code (or, without one, the same kind, name and county) is the same
 * organisation: empty fields are filled, a different name or recorded field is rejected unless
 * `overwrite`. Each change is audited like a manual one.
 */
export async function importOrganisationRows(
  trx: Trx,
  deps: { pii: PiiCipher; clock: Clock },
  auth: AuthContext | null,
  rows: OrganisationImportRow[],
  options: { overwrite: boolean; meta: RequestMeta },
): Promise<OrganisationImportOutcome[]> {
  const now = deps.clock.now();
  const context = auditContextOf(auth, options.meta);
  const outcomes: OrganisationImportOutcome[] = [];
  for (const row of rows) {
    const existingId = row.uscc
      ? (await repo.findOrganisationByUscc(trx, row.uscc))?.id
      : (
          await trx
            .selectFrom('organisations')
            .select('id')
            .where('kind', '=', row.kind)
            .where('name', '=', row.name)
            .where('regionCode', '=', row.regionCode)
            .executeTakeFirst()
        )?.id;
    const phone = row.contactPhone
      ? {
          contactPhoneEnc: deps.pii.encrypt(CONTACT_PHONE_FIELD, row.contactPhone),
          contactPhoneMasked: maskPhone(row.contactPhone),
        }
      : { contactPhoneEnc: null, contactPhoneMasked: null };
    if (existingId === undefined) {
      const id = uuidv7();
      const { contactPhone: _plain, ...columns } = row;
      await repo.insertOrganisation(trx, {
        id,
        ...columns,
        ...phone,
        createdAt: now,
        updatedAt: now,
      });
      const created = await repo.findOrganisationById(trx, id);
      await recordAudit(trx, {
        context,
        action: 'organisation.created',
        entityType: 'organisation',
        entityId: id,
        after: created ? publicOrganisation(created) : null,
        details: { source: 'import' },
        occurredAt: now,
      });
      outcomes.push({ kind: 'imported' });
      continue;
    }
    const existing = await repo.findOrganisationById(trx, existingId, { forUpdate: true });
    if (!existing) throw new Error('organisation vanished during import');
    if (existing.kind !== row.kind) {
      outcomes.push({
        kind: 'rejected',
        field: 'kind',
        code: 'FIELD_CONFLICT',
        message: '该统一社会信用代码已登记为另一种单位类型，单位类型不能通过导入修改。',
      });
      continue;
    }
    if (auth?.scope.kind === 'region' && existing.regionCode !== auth.scope.regionCode) {
      outcomes.push({
        kind: 'rejected',
        field: 'region',
        code: 'OUT_OF_SCOPE',
        message: '该单位已登记在其他县（市、区），不能由您导入修改。',
      });
      continue;
    }
    const changes: Record<string, unknown> = {};
    let conflict: { field: OrganisationField; code: string } | undefined;
    const consider = (
      field: OrganisationField,
      column: keyof typeof existing,
      incoming: string | null,
    ) => {
      const current = existing[column] as string | null;
      if (incoming === null || incoming === current) return;
      if (current === null || options.overwrite) changes[column] = incoming;
      else conflict ??= { field, code: field === 'name' ? 'NAME_CONFLICT' : 'FIELD_CONFLICT' };
    };
    consider('name', 'name', row.name);
    consider('region', 'regionCode', row.regionCode);
    consider('address', 'address', row.address);
    consider('contactName', 'contactName', row.contactName);
    consider('sizeClass', 'sizeClass', row.sizeClass);
    consider('affiliation', 'affiliation', row.affiliation);
    consider('evaluationType', 'evaluationType', row.evaluationType);
    consider('institutionCode', 'institutionCode', row.institutionCode);
    if (row.contactPhone && phone.contactPhoneMasked !== existing.contactPhoneMasked) {
      // Masks hide the middle digits, so equal masks may differ; then the existing one is kept.
      if (existing.contactPhoneEnc === null || options.overwrite) Object.assign(changes, phone);
      else conflict ??= { field: 'contactPhone', code: 'FIELD_CONFLICT' };
    }
    if ('affiliation' in changes) changes.affiliationRegionCode = row.affiliationRegionCode;
    if (conflict) {
      outcomes.push({ kind: 'rejected', field: conflict.field, code: conflict.code });
      continue;
    }
    if (Object.keys(changes).length === 0) {
      outcomes.push({ kind: 'unchanged' });
      continue;
    }
    await repo.updateOrganisation(trx, existing.id, { ...changes, updatedAt: now });
    const after = await repo.findOrganisationById(trx, existing.id);
    await recordAudit(trx, {
      context,
      action: 'organisation.updated',
      entityType: 'organisation',
      entityId: existing.id,
      before: publicOrganisation(existing),
      after: after ? publicOrganisation(after) : null,
      details: { source: 'import' },
      occurredAt: now,
    });
    outcomes.push({ kind: 'updated' });
  }
  return outcomes;
}
