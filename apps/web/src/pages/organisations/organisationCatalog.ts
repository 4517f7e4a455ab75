import type { Affiliation, EvaluationType, OrganisationKind, SizeClass } from '../../api/types';

/**
 * The organisation kinds and their kind-specific choices, in the order forms list them. Typed
 * against the API schema: a value added there and not here is a type error, and so is a missing
 * label (`organisation.kind.<value>` and so on).
 */
export const ORGANISATION_KINDS = [
  'training_institution',
  'evaluation_institution',
  'employer',
  'hr_agency',
] as const satisfies readonly OrganisationKind[];

const _allKindsListed: [Exclude<OrganisationKind, (typeof ORGANISATION_KINDS)[number]>] extends [
  never,
]
  ? true
  : false = true;

export const SIZE_CLASSES = [
  'large',
  'medium',
  'small',
  'micro',
] as const satisfies readonly SizeClass[];

export const AFFILIATIONS = [
  'central',
  'provincial',
  'city',
  'county',
] as const satisfies readonly Affiliation[];

export const EVALUATION_TYPES = ['Y', 'S'] as const satisfies readonly EvaluationType[];

export const KIND_COLORS: Record<OrganisationKind, string> = {
  training_institution: 'blue',
  evaluation_institution: 'purple',
  employer: 'green',
  hr_agency: 'cyan',
};

export function isOrganisationKind(value: string | null): value is OrganisationKind {
  return ORGANISATION_KINDS.some((kind) => kind === value);
}
