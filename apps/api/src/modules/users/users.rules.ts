import { COUNTY_ASSIGNABLE_ROLES, type Role, type Scope } from '../../platform/auth/roles.js';

/** Whether an administrator with `scope` may see or manage an account anchored in `regionCode`. */
export function canSeeAccount(scope: Scope, account: { regionCode: string | null }): boolean {
  if (scope.kind === 'city') return true;
  if (scope.kind === 'region') return account.regionCode === scope.regionCode;
  return false;
}

/** Which roles an administrator may give: a county administrator never hands out city-wide ones. */
export function canAssignRole(scope: Scope, role: Role): boolean {
  if (scope.kind === 'city') return true;
  if (scope.kind === 'region') return COUNTY_ASSIGNABLE_ROLES.includes(role);
  return false;
}

/** The anchor each role needs (see the CHECKs in 0003_create_accounts.sql). */
export function requiredAnchor(
  role: Role,
): 'regionCode' | 'unitId' | 'organisationId' | 'personId' | null {
  switch (role) {
    case 'county_admin':
      return 'regionCode';
    case 'unit_officer':
      return 'unitId';
    case 'training_staff':
    case 'evaluation_staff':
    case 'employer':
    case 'hr_agency':
      return 'organisationId';
    case 'worker':
      return 'personId';
    default:
      return null;
  }
}
