/*
 * Trainees and holders named in unit reports are matched to the person registry by ID number and
 * registered when missing, through the persons module's repository (the same encryption, blind
 * index and masking as any registration; the ID number already passed the GB 11643 rules).
 */
import type { Trx } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskIdNumber, type PiiCipher } from '../../platform/crypto/index.js';
import { recordAuditMany, type AuditContext } from '../audit/audit.service.js';
import type { IdNumberValid } from '../persons/id-number.rules.js';
import * as persons from '../persons/persons.repository.js';
import type { PersonSource } from '../persons/persons.schema.js';

export interface NamedId {
  id: IdNumberValid;
  name: string;
}

export type PersonMatch =
  | { kind: 'matched' | 'created'; personId: string; idNumberMasked: string }
  | {
      kind: 'rejected';
      code: 'NAME_MISMATCH' | 'CONCURRENT_REGISTRATION';
      message: string;
      zh: string;
    };

export interface MatchOptions {
  pii: PiiCipher;
  now: Date;
  source: PersonSource;
  createdBy: string | null;
  /** The county a new person is counted in (the reporting unit's region). */
  regionCode: string;
  context: AuditContext;
  details: Record<string, unknown>;
  /** The unit and/or organisation that should see the persons (person_links). */
  links: { kind: 'unit' | 'organisation'; id: string }[];
}

function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
  return norm(a) === norm(b);
}

/**
 * Matches each entry to the registry (locking the known persons for the transaction), registers
 * the unknown ones, and refuses an entry whose name differs from the registered one: a report
 * never renames a person. Entries must have distinct ID numbers.
 */
export async function matchPersons(
  trx: Trx,
  entries: readonly NamedId[],
  options: MatchOptions,
): Promise<PersonMatch[]> {
  const bidxs = entries.map((e) => options.pii.blindIndex('id_number', e.id.idNumber));
  const known = new Map(
    (await persons.lockPersonsByBlindIndexes(trx, bidxs)).map((p) => [p.idNumberBidx, p]),
  );
  const fresh: { index: number; row: persons.NewPerson }[] = [];
  const outcomes: (PersonMatch | undefined)[] = entries.map((entry, index) => {
    const bidx = bidxs[index] as string;
    const person = known.get(bidx);
    if (person) {
      if (!sameName(person.name, entry.name)) {
        return {
          kind: 'rejected',
          code: 'NAME_MISMATCH',
          message: 'the registry holds another name for this ID number',
          zh: `姓名与人员库中该身份证号码登记的姓名不一致。`,
        };
      }
      return { kind: 'matched', personId: person.id, idNumberMasked: person.idNumberMasked };
    }
    fresh.push({
      index,
      row: {
        id: uuidv7(),
        idNumberEnc: options.pii.encrypt('person.id_number', entry.id.idNumber),
        idNumberBidx: bidx,
        idNumberMasked: maskIdNumber(entry.id.idNumber),
        name: entry.name.trim(),
        sex: entry.id.sex,
        birthDate: entry.id.birthDate,
        idRegionCode: entry.id.regionCode,
        phoneEnc: null,
        phoneBidx: null,
        phoneMasked: null,
        householdRegionCode: null,
        residenceRegionCode: null,
        regionCode: options.regionCode,
        education: null,
        employmentStatus: 'unknown',
        reviewWarnings: entry.id.warnings.map((w) => w.code),
        note: null,
        source: options.source,
        createdBy: options.createdBy,
        createdAt: options.now,
        updatedAt: options.now,
      },
    });
    return undefined;
  });
  const inserted = new Set(
    await persons.insertPersons(
      trx,
      fresh.map((f) => f.row),
    ),
  );
  for (const f of fresh) {
    outcomes[f.index] = inserted.has(f.row.idNumberBidx)
      ? { kind: 'created', personId: f.row.id, idNumberMasked: f.row.idNumberMasked }
      : {
          kind: 'rejected',
          code: 'CONCURRENT_REGISTRATION',
          message: 'this ID number is being registered at the same moment: try again',
          zh: '该身份证号码正被同时登记，请稍后重试。',
        };
  }
  await recordAuditMany(
    trx,
    fresh
      .filter((f) => inserted.has(f.row.idNumberBidx))
      .map((f) => ({
        context: options.context,
        action: 'person.created' as const,
        entityType: 'person',
        entityId: f.row.id,
        details: options.details,
        occurredAt: options.now,
      })),
  );
  const personIds = outcomes.flatMap((o) => (o && o.kind !== 'rejected' ? [o.personId] : []));
  for (const link of options.links) {
    await persons.linkPersons(trx, personIds, link.kind, link.id, options.now);
  }
  return outcomes.map(
    (o) =>
      o ?? {
        kind: 'rejected',
        code: 'CONCURRENT_REGISTRATION',
        message: 'not processed',
        zh: '未处理。',
      },
  );
}
