import { describe, expect, it } from 'vitest';
import {
  anchorOf,
  assignableRoles,
  can,
  isWorker,
  menuFor,
  ROLES,
  selectedMenuPath,
  workerShortcutsFor,
} from './access';
import type { Me } from './api/types';

const PUBLIC_PATHS = ['/', '/regions', '/units', '/plans', '/occupations'];

/** Accounts as GET /api/auth/me describes them; permissions are what the server grants today. */
function account(overrides: Partial<Me>): Me {
  return {
    id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
    username: 'someone',
    displayName: '某人',
    role: 'worker',
    scope: { kind: 'city' },
    permissions: [],
    mustChangePassword: false,
    ...overrides,
  };
}

const cityAdmin = account({
  role: 'city_admin',
  permissions: ['users.read', 'users.manage', 'audit.read'],
});
const countyAdmin = account({
  role: 'county_admin',
  scope: { kind: 'region', regionCode: '411403' },
  permissions: ['users.read', 'users.manage'],
});
const auditor = account({ role: 'auditor', permissions: ['users.read', 'audit.read'] });
const worker = account({
  role: 'worker',
  scope: { kind: 'person', personId: '01a22256-abf9-7512-b4f1-1c6c4a41ad55' },
});

const paths = (me: Me | null) => menuFor(me).map((item) => item.path);

/** What the server grants today (apps/api/src/platform/auth/roles.ts), for the new pages. */
const fullCityAdmin = account({
  role: 'city_admin',
  permissions: [
    'users.read',
    'users.manage',
    'audit.read',
    'persons.read',
    'persons.write',
    'persons.reveal',
    'persons.history',
    'persons.invite',
    'organisations.read',
    'organisations.manage',
    'organisations.scopes.approve',
    'persons.import',
    'organisations.import',
    'imports.read',
  ],
});
const unitOfficer = account({
  role: 'unit_officer',
  scope: { kind: 'unit', unitId: '01a22256-0000-7267-86fe-cdd2f59e4c8d' },
  permissions: ['persons.read', 'persons.write', 'persons.import', 'imports.read'],
});
const evaluationStaff = account({
  role: 'evaluation_staff',
  scope: { kind: 'organisation', organisationId: '01a22256-1111-7267-86fe-cdd2f59e4c8d' },
  permissions: ['persons.read', 'organisations.read'],
});
const registeredWorker = account({
  role: 'worker',
  scope: { kind: 'person', personId: '01a22256-abf9-7512-b4f1-1c6c4a41ad55' },
  permissions: ['persons.read'],
});
const financeWithOrgImport = account({ role: 'finance', permissions: ['organisations.import'] });

describe('menuFor', () => {
  it('shows a visitor who is not logged in the home page and the four reference-data pages', () => {
    expect(paths(null)).toEqual(PUBLIC_PATHS);
  });

  it('adds account management and the audit log for a city administrator', () => {
    expect(paths(cityAdmin)).toEqual([...PUBLIC_PATHS, '/users', '/audit']);
  });

  it('adds account management but not the audit log for a county administrator', () => {
    expect(paths(countyAdmin)).toEqual([...PUBLIC_PATHS, '/users']);
  });

  it('adds account management and the audit log for an auditor', () => {
    expect(paths(auditor)).toEqual([...PUBLIC_PATHS, '/users', '/audit']);
  });

  it('shows a worker only the public pages', () => {
    expect(paths(worker)).toEqual(PUBLIC_PATHS);
  });

  it('follows the permissions the server grants, not the role name', () => {
    expect(paths(account({ role: 'finance', permissions: ['audit.read'] }))).toEqual([
      ...PUBLIC_PATHS,
      '/audit',
    ]);
    expect(paths(account({ role: 'city_admin', permissions: [] }))).toEqual(PUBLIC_PATHS);
  });

  it('shows only the public pages until the initial password is changed', () => {
    expect(paths({ ...cityAdmin, mustChangePassword: true })).toEqual(PUBLIC_PATHS);
  });

  it('gives a city administrator the registry pages before account management', () => {
    expect(paths(fullCityAdmin)).toEqual([
      ...PUBLIC_PATHS,
      '/persons',
      '/imports',
      '/organisations',
      '/users',
      '/audit',
    ]);
  });

  it('gives a unit officer the persons register and imports, but not organisations', () => {
    expect(paths(unitOfficer)).toEqual([...PUBLIC_PATHS, '/persons', '/imports']);
  });

  it('gives an evaluation institution’s staff persons and organisations, without imports', () => {
    expect(paths(evaluationStaff)).toEqual([...PUBLIC_PATHS, '/persons', '/organisations']);
  });

  it('shows a registered worker their own record instead of the persons register', () => {
    expect(paths(registeredWorker)).toEqual([...PUBLIC_PATHS, '/me']);
    expect(menuFor(registeredWorker).find((item) => item.path === '/me')?.labelKey).toBe('menu.me');
  });

  it('gives an account that may issue vouchers the voucher page, before account management', () => {
    const issuer = {
      ...fullCityAdmin,
      permissions: [...fullCityAdmin.permissions, 'vouchers.read', 'vouchers.issue'],
    };
    expect(paths(issuer)).toEqual([
      ...PUBLIC_PATHS,
      '/persons',
      '/imports',
      '/organisations',
      '/vouchers',
      '/users',
      '/audit',
    ]);
    expect(paths(issuer)).not.toContain('/me/vouchers');
    expect(workerShortcutsFor(issuer)).toEqual([]);
  });

  it('shows a worker holding vouchers their own vouchers and classes next to their record', () => {
    const holder = {
      ...registeredWorker,
      permissions: [
        'persons.read',
        'vouchers.read',
        'vouchers.hold',
        'classes.read',
        'classes.attend',
      ],
    };
    expect(paths(holder)).toEqual([...PUBLIC_PATHS, '/me', '/me/vouchers', '/me/classes']);
    expect(selectedMenuPath(menuFor(holder), '/me/vouchers')).toBe('/me/vouchers');
    expect(selectedMenuPath(menuFor(holder), '/me/classes')).toBe('/me/classes');
    expect(workerShortcutsFor(holder).map((item) => item.path)).toEqual([
      '/me',
      '/me/vouchers',
      '/me/classes',
    ]);
  });

  it('gives an account that may approve classes the class review queue', () => {
    const approver = account({
      role: 'county_admin',
      permissions: ['classes.read', 'classes.approve'],
    });
    expect(paths(approver)).toEqual([...PUBLIC_PATHS, '/class-review']);
    expect(paths({ ...approver, mustChangePassword: true })).toEqual(PUBLIC_PATHS);
  });

  it('gives a training institution’s staff their classes, but not the review queue', () => {
    const trainer = account({
      role: 'training_staff',
      scope: { kind: 'organisation', organisationId: '01a22256-1111-7267-86fe-cdd2f59e4c8d' },
      permissions: [
        'persons.read',
        'organisations.read',
        'classes.read',
        'classes.file',
        'classes.train',
        'vouchers.read',
        'vouchers.bind',
        'attendance.check',
      ],
    });
    expect(paths(trainer)).toEqual([...PUBLIC_PATHS, '/persons', '/organisations', '/classes']);
    expect(selectedMenuPath(menuFor(trainer), '/classes/01a22256-2222')).toBe('/classes');
  });

  it('gives an evaluation institution its sessions and the certificates it issued', () => {
    const evaluator = account({
      role: 'evaluation_staff',
      scope: { kind: 'organisation', organisationId: '01a22256-1111-7267-86fe-cdd2f59e4c8d' },
      permissions: [
        'persons.read',
        'organisations.read',
        'evaluations.read',
        'evaluations.manage',
        'certificates.read',
        'certificates.credential',
      ],
    });
    expect(paths(evaluator)).toEqual([
      ...PUBLIC_PATHS,
      '/persons',
      '/organisations',
      '/evaluations',
      '/certificates',
    ]);
    expect(selectedMenuPath(menuFor(evaluator), '/evaluations/01a22256-2222')).toBe('/evaluations');
  });

  it('gives a worker their certificates, not the certificate register', () => {
    const holder = account({
      role: 'worker',
      scope: { kind: 'person', personId: '01a22256-3333-7267-86fe-cdd2f59e4c8d' },
      permissions: ['persons.read', 'certificates.read', 'certificates.credential'],
    });
    expect(paths(holder)).toEqual([...PUBLIC_PATHS, '/me', '/me/certificates']);
    expect(workerShortcutsFor(holder).map((item) => item.path)).toContain('/me/certificates');
  });

  it('gives a training institution the subsidy claims where it redeems vouchers', () => {
    const trainer = account({
      role: 'training_staff',
      scope: { kind: 'organisation', organisationId: '01a22256-1111-7267-86fe-cdd2f59e4c8d' },
      permissions: ['vouchers.read', 'vouchers.redeem', 'subsidies.read'],
    });
    expect(paths(trainer)).toEqual([...PUBLIC_PATHS, '/claims']);
  });

  it('gives an HR service agency its placements (职业介绍) and claims', () => {
    const agency = account({
      role: 'hr_agency',
      scope: { kind: 'organisation', organisationId: '01a22256-0a0a-7267-86fe-cdd2f59e4c8d' },
      permissions: ['placements.read', 'placements.write', 'subsidies.read'],
    });
    expect(paths(agency)).toEqual([...PUBLIC_PATHS, '/placements', '/claims']);
    expect(menuFor(agency).find((item) => item.path === '/placements')?.labelKey).toBe(
      'menu.placements',
    );
  });

  it('does not show the voucher pages to someone who may only read vouchers', () => {
    const finance = account({ role: 'finance', permissions: ['vouchers.read'] });
    expect(paths(finance)).toEqual(PUBLIC_PATHS);
  });

  it('shows the import page to an account that may import organisations only', () => {
    expect(paths(financeWithOrgImport)).toEqual([...PUBLIC_PATHS, '/imports']);
  });

  it('gives the accounts that read the ledger the trial balance after the claims', () => {
    const reviewer = account({
      role: 'city_admin',
      permissions: ['subsidies.read', 'subsidies.review', 'ledger.read', 'audit.read'],
    });
    expect(paths(reviewer)).toEqual([...PUBLIC_PATHS, '/claims', '/ledger', '/audit']);
    expect(menuFor(reviewer).find((item) => item.path === '/ledger')?.labelKey).toBe('menu.ledger');
    const county = account({
      role: 'county_admin',
      scope: { kind: 'region', regionCode: '411403' },
      permissions: ['subsidies.read', 'subsidies.review'],
    });
    expect(paths(county)).toEqual([...PUBLIC_PATHS, '/claims']);
    expect(
      paths(account({ role: 'finance', permissions: ['subsidies.read', 'ledger.read'] })),
    ).toEqual([...PUBLIC_PATHS, '/claims', '/ledger']);
    expect(selectedMenuPath(menuFor(reviewer), '/ledger')).toBe('/ledger');
  });

  it('groups the statistics pages for those who read statistics', () => {
    const finance = account({ role: 'finance', permissions: ['statistics.read'] });
    expect(menuFor(finance).filter((item) => item.group === 'statistics')).toEqual([
      { path: '/targets', labelKey: 'menu.targets', icon: 'targets', group: 'statistics' },
      { path: '/dashboard', labelKey: 'menu.dashboard', icon: 'dashboard', group: 'statistics' },
      { path: '/reports', labelKey: 'menu.reports', icon: 'reports', group: 'statistics' },
    ]);
    expect(selectedMenuPath(menuFor(finance), '/dashboard')).toBe('/dashboard');
    expect(menuFor(worker).some((item) => item.group === 'statistics')).toBe(false);
  });

  it('labels every entry with a menu message key', () => {
    for (const item of menuFor(fullCityAdmin)) expect(item.labelKey).toMatch(/^menu\./);
  });

  it('returns a fresh list, so callers cannot change the menu of others', () => {
    const first = menuFor(null);
    first.pop();
    expect(menuFor(null)).toHaveLength(5);
  });
});

describe('can', () => {
  it('grants nothing to a visitor who is not logged in', () => {
    expect(can(null, 'users.read')).toBe(false);
  });

  it('lets an auditor read accounts but not manage them', () => {
    expect(can(auditor, 'users.read')).toBe(true);
    expect(can(auditor, 'users.manage')).toBe(false);
  });
});

describe('isWorker', () => {
  it('tells a worker’s account, tied to one person, from staff accounts', () => {
    expect(isWorker(registeredWorker)).toBe(true);
    expect(isWorker(fullCityAdmin)).toBe(false);
    expect(isWorker(null)).toBe(false);
  });
});

describe('assignableRoles', () => {
  it('lets a city administrator hand out every role', () => {
    expect(assignableRoles(cityAdmin)).toEqual([...ROLES]);
  });

  it('never lets a county administrator hand out a city-wide role', () => {
    const roles = assignableRoles(countyAdmin);
    expect(roles).toContain('county_admin');
    expect(roles).toContain('unit_officer');
    for (const cityWide of ['city_admin', 'auditor', 'finance'] as const) {
      expect(roles).not.toContain(cityWide);
    }
  });

  it('gives nothing to accounts without users.manage', () => {
    expect(assignableRoles(auditor)).toEqual([]);
    expect(assignableRoles(worker)).toEqual([]);
    expect(assignableRoles(null)).toEqual([]);
  });
});

describe('anchorOf', () => {
  it('ties each role to the record its scope hangs on', () => {
    expect(anchorOf('county_admin')).toBe('regionCode');
    expect(anchorOf('unit_officer')).toBe('unitId');
    expect(anchorOf('employer')).toBe('organisationId');
    expect(anchorOf('worker')).toBe('personId');
    expect(anchorOf('auditor')).toBeNull();
  });
});

describe('selectedMenuPath', () => {
  const items = menuFor(cityAdmin);

  it('selects home only on the root path', () => {
    expect(selectedMenuPath(items, '/')).toBe('/');
    expect(selectedMenuPath(items, '/nowhere')).toBeUndefined();
  });

  it('selects a section for its own path and the paths below it', () => {
    expect(selectedMenuPath(items, '/occupations')).toBe('/occupations');
    expect(selectedMenuPath(items, '/occupations/4-03-02-01')).toBe('/occupations');
    expect(selectedMenuPath(items, '/users')).toBe('/users');
  });

  it('selects the persons entry on a person’s page', () => {
    expect(selectedMenuPath(menuFor(fullCityAdmin), '/persons/01a22270-2058-7659')).toBe(
      '/persons',
    );
  });

  it('does not select a section for a path that merely starts with the same letters', () => {
    expect(selectedMenuPath(items, '/plansx')).toBeUndefined();
  });
});
