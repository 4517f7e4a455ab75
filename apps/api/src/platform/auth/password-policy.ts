import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The password policy. Defaults are what 等保2.0 三级 assessors expect: at least 8 characters,
 * three of four character classes, not the username, not a known common or breached password.
 */
export interface PasswordPolicy {
  minLength: number;
  minClasses: number;
  maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  minClasses: 3,
  maxLength: 128,
};

export type PasswordProblem =
  'TOO_SHORT' | 'TOO_LONG' | 'TOO_FEW_CLASSES' | 'CONTAINS_USERNAME' | 'COMMON_PASSWORD';

// ~49,000 passwords from public breach corpora (zxcvbn-ts common list), lower-cased.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

function classes(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/**
 * Every rule the password breaks (empty when acceptable). A common password with a trailing
 * digit or symbol ("password1!") still counts as common.
 */
export function checkPassword(
  password: string,
  username: string,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < policy.minLength) problems.push('TOO_SHORT');
  if (length > policy.maxLength) problems.push('TOO_LONG');
  if (classes(password) < policy.minClasses) problems.push('TOO_FEW_CLASSES');
  const lower = password.toLowerCase();
  if (username.length >= 3 && lower.includes(username.toLowerCase())) {
    problems.push('CONTAINS_USERNAME');
  }
  const stripped = lower.replace(/[^a-z0-9]+$/, '').replace(/^[^a-z0-9]+/, '');
  const core = stripped.replace(/\d{1,4}$/, '');
  if (
    commonPasswords().has(lower) ||
    commonPasswords().has(stripped) ||
    (core.length >= 4 && commonPasswords().has(core))
  ) {
    problems.push('COMMON_PASSWORD');
  }
  return problems;
}

/** The rule a problem breaks, in words a form can show next to the field. */
export function describePasswordProblem(
  problem: PasswordProblem,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): string {
  switch (problem) {
    case 'TOO_SHORT':
      return `must have at least ${policy.minLength} characters`;
    case 'TOO_LONG':
      return `must have at most ${policy.maxLength} characters`;
    case 'TOO_FEW_CLASSES':
      return `must mix at least ${policy.minClasses} of: lower-case, upper-case, digits, symbols`;
    case 'CONTAINS_USERNAME':
      return 'must not contain the username';
    case 'COMMON_PASSWORD':
      return 'is a common or breached password';
  }
}
