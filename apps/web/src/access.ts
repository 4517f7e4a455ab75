import type { Me, Role } from './api/types';
import type { MessageKey } from './i18n';

/**
 * What the interface shows to whom. Decisions here read `me.permissions` (and, for what an
 * administrator may hand out, `me.scope`), never role names: the server decides who holds which
 * permission, and this file follows. The server checks every request again; hiding a menu entry
 * or a button is a convenience, not the protection.
 */
export type Permission =
  | 'users.read'
  | 'users.manage'
  | 'audit.read'
  | 'persons.read'
  | 'persons.write'
  | 'persons.reveal'
  | 'persons.history'
  | 'persons.invite'
  | 'persons.import'
  | 'organisations.read'
  | 'organisations.manage'
  | 'organisations.scopes.approve'
  | 'organisations.import'
  | 'imports.read'
  | 'vouchers.read'
  | 'vouchers.issue'
  | 'vouchers.bind'
  | 'vouchers.hold'
  | 'classes.read'
  | 'classes.approve'
  | 'classes.file'
  | 'classes.train'
  | 'classes.attend'
  | 'attendance.check'
  | 'evaluations.read'
  | 'evaluations.manage'
  | 'evaluations.sample'
  | 'evaluations.catalog.manage'
  | 'certificates.read'
  | 'certificates.revoke'
  | 'certificates.credential'
  | 'vouchers.redeem'
  | 'subsidies.read'
  | 'subsidies.review'
  | 'payments.manage'
  | 'payments.read'
  | 'ledger.statement'
  | 'ledger.read'
  | 'employment.write'
  | 'employment.read'
  | 'placements.write'
  | 'placements.read'
  | 'activity.report'
  | 'activity.read'
  | 'activity.periods.close'
  | 'statistics.read'
  | 'statistics.records'
  | 'targets.manage'
  | 'reports.generate';

export type MenuIcon =
  | 'home'
  | 'regions'
  | 'units'
  | 'plans'
  | 'occupations'
  | 'me'
  | 'persons'
  | 'imports'
  | 'organisations'
  | 'users'
  | 'audit'
  | 'vouchers'
  | 'classReview'
  | 'classes'
  | 'evaluations'
  | 'certificates'
  | 'claims'
  | 'placements'
  | 'activity'
  | 'activityPeriods'
  | 'ledger'
  | 'payments'
  | 'statement'
  | 'targets'
  | 'dashboard'
  | 'reports';

/** A titled group of menu entries (the entries of a group are listed together). */
export type MenuGroup = 'statistics';

export interface MenuItem {
  /** The route path, also the menu key. */
  path: string;
  labelKey: MessageKey;
  icon: MenuIcon;
  /** The titled group the entry is shown in; none for the top level. */
  group?: MenuGroup;
}

interface MenuEntry extends MenuItem {
  /** The permission the entry needs (any one of a list); `null` for public pages. */
  requires: Permission | readonly Permission[] | null;
  /**
   * Who the entry is for when a permission is shared: a worker (an account tied to one person)
   * reads only their own record, staff read the register.
   */
  audience?: 'worker' | 'staff';
  /** Hidden from accounts holding this permission (they reach the page another way). */
  unless?: Permission;
}

const MENU: readonly MenuEntry[] = [
  { path: '/', labelKey: 'menu.home', icon: 'home', requires: null },
  // Statistics (#9), first for the bureaus: targets and progress, the dashboard, the reports.
  {
    path: '/targets',
    labelKey: 'menu.targets',
    icon: 'targets',
    requires: 'statistics.read',
    group: 'statistics',
  },
  {
    path: '/targets/manage',
    labelKey: 'menu.targetsManage',
    icon: 'targets',
    requires: 'targets.manage',
    group: 'statistics',
  },
  {
    path: '/dashboard',
    labelKey: 'menu.dashboard',
    icon: 'dashboard',
    requires: 'statistics.read',
    group: 'statistics',
  },
  {
    path: '/reports',
    labelKey: 'menu.reports',
    icon: 'reports',
    requires: 'statistics.read',
    group: 'statistics',
  },
  { path: '/regions', labelKey: 'menu.regions', icon: 'regions', requires: null },
  { path: '/units', labelKey: 'menu.units', icon: 'units', requires: null },
  { path: '/plans', labelKey: 'menu.plans', icon: 'plans', requires: null },
  { path: '/occupations', labelKey: 'menu.occupations', icon: 'occupations', requires: null },
  { path: '/me', labelKey: 'menu.me', icon: 'me', requires: 'persons.read', audience: 'worker' },
  {
    path: '/me/vouchers',
    labelKey: 'menu.myVouchers',
    icon: 'vouchers',
    requires: 'vouchers.hold',
    audience: 'worker',
  },
  {
    path: '/me/classes',
    labelKey: 'menu.myClasses',
    icon: 'classes',
    requires: 'classes.attend',
    audience: 'worker',
  },
  {
    path: '/me/certificates',
    labelKey: 'menu.myCertificates',
    icon: 'certificates',
    requires: 'certificates.read',
    audience: 'worker',
  },
  {
    path: '/persons',
    labelKey: 'menu.persons',
    icon: 'persons',
    requires: 'persons.read',
    audience: 'staff',
  },
  {
    path: '/imports',
    labelKey: 'menu.imports',
    icon: 'imports',
    requires: ['persons.import', 'organisations.import', 'employment.write', 'activity.report'],
  },
  {
    path: '/organisations',
    labelKey: 'menu.organisations',
    icon: 'organisations',
    requires: 'organisations.read',
  },
  { path: '/vouchers', labelKey: 'menu.vouchers', icon: 'vouchers', requires: 'vouchers.issue' },
  {
    path: '/class-review',
    labelKey: 'menu.classReview',
    icon: 'classReview',
    requires: 'classes.approve',
  },
  { path: '/classes', labelKey: 'menu.classes', icon: 'classes', requires: 'classes.file' },
  {
    path: '/evaluations',
    labelKey: 'menu.evaluations',
    icon: 'evaluations',
    requires: 'evaluations.read',
  },
  {
    path: '/certificates',
    labelKey: 'menu.certificates',
    icon: 'certificates',
    requires: 'certificates.read',
    audience: 'staff',
  },
  { path: '/activity', labelKey: 'menu.activity', icon: 'activity', requires: 'activity.read' },
  // The city closes reporting months; others with activity.read may open the page by its address.
  {
    path: '/activity/periods',
    labelKey: 'menu.activityPeriods',
    icon: 'activityPeriods',
    requires: 'activity.periods.close',
  },
  {
    path: '/placements',
    labelKey: 'menu.placements',
    icon: 'placements',
    requires: 'placements.read',
  },
  { path: '/claims', labelKey: 'menu.claims', icon: 'claims', requires: 'subsidies.read' },
  { path: '/ledger', labelKey: 'menu.ledger', icon: 'ledger', requires: 'ledger.read' },
  { path: '/payments', labelKey: 'menu.payments', icon: 'payments', requires: 'payments.read' },
  // The ledger page has the statement as a tab; others reading statements get it on its own.
  {
    path: '/statement',
    labelKey: 'menu.statement',
    icon: 'statement',
    requires: 'ledger.statement',
    unless: 'ledger.read',
  },
  { path: '/users', labelKey: 'menu.users', icon: 'users', requires: 'users.read' },
  { path: '/audit', labelKey: 'menu.audit', icon: 'audit', requires: 'audit.read' },
];

/** Every role, in the order forms and filters list them. */
export const ROLES = [
  'city_admin',
  'county_admin',
  'unit_officer',
  'training_staff',
  'evaluation_staff',
  'employer',
  'hr_agency',
  'worker',
  'auditor',
  'finance',
] as const satisfies readonly Role[];

// A role added to the API but not above is a type error here.
const _allRolesListed: [Exclude<Role, (typeof ROLES)[number]>] extends [never] ? true : false =
  true;

/** Roles an administrator of one region may hand out: never a city-wide one. */
const REGION_ASSIGNABLE_ROLES: readonly Role[] = [
  'county_admin',
  'unit_officer',
  'training_staff',
  'evaluation_staff',
  'employer',
  'hr_agency',
];

/** Whether the logged-in account (if any) holds `permission`. */
export function can(me: Me | null | undefined, permission: Permission): boolean {
  return !!me && me.permissions.includes(permission);
}

/** Whether the account is a worker's: tied to the one person record it may read. */
export function isWorker(me: Me | null | undefined): boolean {
  return !!me && me.scope.kind === 'person';
}

function allowed(me: Me | null, entry: MenuEntry): boolean {
  if (entry.requires === null) return true;
  const needed: readonly Permission[] =
    typeof entry.requires === 'string' ? [entry.requires] : entry.requires;
  if (!needed.some((permission) => can(me, permission))) return false;
  if (entry.unless !== undefined && can(me, entry.unless)) return false;
  if (entry.audience === 'worker') return isWorker(me);
  if (entry.audience === 'staff') return !isWorker(me);
  return true;
}

/**
 * The side-menu entries for `me` (`null` when nobody is logged in), in display order. An account
 * that still has to change its initial password sees only the public entries.
 */
export function menuFor(me: Me | null | undefined): MenuItem[] {
  const active = me && !me.mustChangePassword ? me : null;
  return MENU.filter((entry) => allowed(active, entry)).map(({ path, labelKey, icon, group }) =>
    group ? { path, labelKey, icon, group } : { path, labelKey, icon },
  );
}

/**
 * A worker's own pages (their record, vouchers, classes), offered again as large buttons on the
 * home page: on a phone the side menu hides behind a button.
 */
export function workerShortcutsFor(me: Me | null | undefined): MenuItem[] {
  if (!isWorker(me)) return [];
  return menuFor(me).filter((item) =>
    MENU.some((e) => e.path === item.path && e.audience === 'worker'),
  );
}

/**
 * The roles `me` may give a new account: all of them for a city-wide administrator, the
 * non-city-wide ones for a region's administrator, none without `users.manage`.
 */
export function assignableRoles(me: Me | null | undefined): Role[] {
  if (!me || !can(me, 'users.manage')) return [];
  if (me.scope.kind === 'city') return [...ROLES];
  if (me.scope.kind === 'region') return ROLES.filter((r) => REGION_ASSIGNABLE_ROLES.includes(r));
  return [];
}

/** The anchor an account of `role` must be tied to (mirrors the API's rule). */
export function anchorOf(
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

/** The menu entry a location belongs to: the longest path that prefixes it. */
export function selectedMenuPath(items: readonly MenuItem[], pathname: string): string | undefined {
  let best: MenuItem | undefined;
  for (const item of items) {
    const matches =
      item.path === '/'
        ? pathname === '/'
        : pathname === item.path || pathname.startsWith(`${item.path}/`);
    if (matches && (!best || item.path.length > best.path.length)) best = item;
  }
  return best?.path;
}
