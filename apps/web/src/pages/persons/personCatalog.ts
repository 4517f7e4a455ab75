import type { Education, EmploymentStatus } from '../../api/types';

/**
 * The employment statuses and education levels the API takes, in the order forms list them. The
 * types come from the API schema: a value added there and not here is a type error, and so is a
 * missing label (`person.employment.<value>`, `person.education.<value>`).
 */
export const EMPLOYMENT_STATUSES = [
  'employed',
  'unemployed',
  'flexible',
  'student',
  'farming',
  'retired',
  'unknown',
] as const satisfies readonly EmploymentStatus[];

const _allStatusesListed: [
  Exclude<EmploymentStatus, (typeof EMPLOYMENT_STATUSES)[number]>,
] extends [never]
  ? true
  : false = true;

export const EDUCATIONS = [
  'primary',
  'junior_high',
  'senior_high',
  'secondary_vocational',
  'college',
  'bachelor',
  'postgraduate',
] as const satisfies readonly Education[];

const _allEducationsListed: [Exclude<Education, (typeof EDUCATIONS)[number]>] extends [never]
  ? true
  : false = true;

/** Review warnings the ID-number check raises today; others are shown by their code. */
export const REVIEW_WARNINGS = ['REGION_NOT_IN_USE_AT_BIRTH', 'REGION_STATISTICS_ONLY'] as const;

export function isEmploymentStatus(value: string | null): value is EmploymentStatus {
  return EMPLOYMENT_STATUSES.some((status) => status === value);
}
