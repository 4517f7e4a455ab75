import { ApiError } from '../api/problem';
import type { MessageKey, Translate } from '../i18n';

/**
 * Field messages the API sends (in English) and our words for them, some only for one field
 * (checked first). Anything else is shown as the server wrote it, which beats hiding it: the
 * ID-number and USCC checks already answer in Chinese.
 */
const FIELD_MESSAGES: readonly [string, RegExp, MessageKey][] = [
  ['username', /^is taken$/, 'field.taken'],
  ['idNumber', /^already registered$/, 'field.idRegistered'],
  ['idNumber', /^already has an account$/, 'field.idHasAccount'],
  ['phone', /^already has an account$/, 'field.phoneHasAccount'],
];

const KNOWN_MESSAGES: readonly [RegExp, MessageKey][] = [
  [/^must have at least (\d+) characters$/, 'field.tooShort'],
  [/^must have at most (\d+) characters$/, 'field.tooLong'],
  [/^must mix at least (\d+) of/, 'field.tooFewClasses'],
  [/^must not contain the username$/, 'field.containsUsername'],
  [/^must not contain the phone number$/, 'field.containsPhone'],
  [/^is a common or breached password$/, 'field.commonPassword'],
  [/^is wrong$/, 'field.wrongPassword'],
  [/^must differ from the current password$/, 'field.sameAsCurrent'],
  [/^is taken$/, 'field.takenByAnother'],
  [/^required for /, 'field.required'],
  [/^must have required property/, 'field.required'],
  [/^unknown county-level region$/, 'field.unknownRegion'],
  [/^unknown responsible unit$/, 'field.unknownUnit'],
  [/^unknown organisation$/, 'field.unknownOrganisation'],
  [/^unknown person$/, 'field.unknownPerson'],
  [/^not assignable by you$/, 'field.notAssignable'],
  [/^outside your region$/, 'field.outsideRegion'],
  [/^cannot disable yourself$/, 'field.cannotDisableSelf'],
  [/^must match (pattern|format)/, 'field.invalidFormat'],
  [/^required$/, 'field.required'],
  [/^is empty$/, 'field.required'],
  [/^must be an 11-digit mobile number/, 'field.mobile'],
  [/^unknown region code$/, 'field.unknownRegionCode'],
  [/^outside your county$/, 'field.outsideCounty'],
  [/^does not match the registered record$/, 'field.nameMismatch'],
  [/^not a mobile or landline number$/, 'field.contactPhone'],
  [/^must be 4 digits$/, 'field.fourDigits'],
  [/^not used for /, 'field.notUsed'],
  [/^only for county affiliation$/, 'field.onlyCounty'],
  [/^overlaps an existing approval$/, 'field.overlaps'],
  [/^not an occupation in the catalog$/, 'field.notOccupation'],
  [/^unknown skill level$/, 'field.unknownSkillLevel'],
  [/^must not be before validFrom/, 'field.beforeStart'],
  [/^must not be after the current validTo/, 'field.afterEnd'],
];

/** A server field message in the interface language; `field` picks words meant for it. */
export function localizeFieldMessage(message: string, t: Translate, field?: string): string {
  for (const [name, pattern, key] of FIELD_MESSAGES) {
    if (name === field && pattern.test(message)) return t(key);
  }
  for (const [pattern, key] of KNOWN_MESSAGES) {
    const match = pattern.exec(message);
    if (match) return t(key, match[1] ? { count: match[1] } : undefined);
  }
  return message;
}

export interface FieldErrors<Name extends string> {
  /** Errors to put on form fields, for `form.setFields`. */
  fields: { name: Name; errors: string[] }[];
  /** Whether some of the error could not be put on a field and must be shown elsewhere. */
  unplaced: boolean;
}

/**
 * Sorts the per-field errors of a problem+json answer (`errors[].path` like `/body/password`)
 * onto the form's `fields`. An error without field errors, or with one for a field the form
 * does not have, is `unplaced`.
 */
export function fieldErrorsOf<Name extends string>(
  error: unknown,
  fields: readonly Name[],
  t: Translate,
): FieldErrors<Name> {
  const problems = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  const byField = new Map<Name, string[]>();
  let unplaced = problems.length === 0;
  for (const { path, message } of problems) {
    const segment = /^\/body\/([^/]+)/.exec(path)?.[1];
    const name = fields.find((field) => field === segment);
    if (name === undefined) {
      unplaced = true;
      continue;
    }
    const messages = byField.get(name) ?? [];
    messages.push(localizeFieldMessage(message, t, name));
    byField.set(name, messages);
  }
  return { fields: [...byField].map(([name, errors]) => ({ name, errors })), unplaced };
}
