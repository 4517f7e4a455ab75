/**
 * Roles and what each may do. This file is the one place that says who may call what: every API
 * route names a permission (or `public` / `authenticated`) in its `config.access`, and app.ts
 * refuses to start if a route under /api declares nothing.
 */
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
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  city_admin: { zh: '市级管理员', en: 'City administrator' },
  county_admin: { zh: '县级管理员', en: 'County administrator' },
  unit_officer: { zh: '责任单位经办人', en: 'Responsible-unit officer' },
  training_staff: { zh: '培训机构人员', en: 'Training institution staff' },
  evaluation_staff: { zh: '评价机构人员', en: 'Evaluation institution staff' },
  employer: { zh: '用人单位', en: 'Employer' },
  hr_agency: { zh: '人力资源服务机构', en: 'HR service agency' },
  worker: { zh: '劳动者', en: 'Worker' },
  auditor: { zh: '审计人员', en: 'Auditor' },
  finance: { zh: '财务人员', en: 'Finance' },
};

/** Permission → the roles that hold it. Later issues add their permissions here. */
export const PERMISSIONS = {
  /** List and read staff accounts (within the caller's scope). */
  'users.read': ['city_admin', 'county_admin', 'auditor'],
  /** Create, change, disable, unlock accounts and reset passwords (within scope). */
  'users.manage': ['city_admin', 'county_admin'],
  /** Search the audit trail. */
  'audit.read': ['city_admin', 'auditor'],
  /** Read persons (masked) within scope; a worker reads themself. */
  'persons.read': [
    'city_admin',
    'county_admin',
    'unit_officer',
    'training_staff',
    'evaluation_staff',
    'auditor',
    'worker',
  ],
  /** Register and change persons within scope. */
  'persons.write': ['city_admin', 'county_admin', 'unit_officer', 'training_staff'],
  /** See a person's full ID number and phone (audited). Auditors never do. */
  'persons.reveal': ['city_admin', 'county_admin'],
  /** Read a person record's audit trail. */
  'persons.history': ['city_admin', 'county_admin', 'auditor'],
  /** Invite a registered person to a worker account. */
  'persons.invite': ['city_admin', 'county_admin'],
  /**
   * List and read organisations (within scope: a county administrator their region, an
   * organisation's own staff only it), with evaluation institutions' sites and approved scopes.
   */
  'organisations.read': [
    'city_admin',
    'county_admin',
    'auditor',
    'training_staff',
    'evaluation_staff',
    'employer',
    'hr_agency',
  ],
  /** Register and change organisations and evaluation sites (within scope). */
  'organisations.manage': ['city_admin', 'county_admin'],
  /** Approve what an evaluation site may evaluate (评价目录清单) and end approvals early. */
  'organisations.scopes.approve': ['city_admin', 'county_admin'],
  /**
   * Bulk-import persons from a roster (xlsx/CSV) into your scope: a county administrator their
   * county's people, a unit officer for their unit, institution staff their own trainees.
   */
  'persons.import': ['city_admin', 'county_admin', 'unit_officer', 'training_staff'],
  /** Bulk-import organisations (within scope). */
  'organisations.import': ['city_admin', 'county_admin'],
  /** Read the reports of imports run in your scope and download their failed rows. */
  'imports.read': ['city_admin', 'county_admin', 'unit_officer', 'training_staff'],
  /**
   * Read classes in scope: an institution its own, a county administrator its region's, a unit
   * officer those counted for the unit, the city all, a worker the classes they are in (and in
   * a roster only themself).
   */
  'classes.read': [
    'city_admin',
    'county_admin',
    'unit_officer',
    'training_staff',
    'auditor',
    'worker',
  ],
  /** File a class and submit it for approval (training institution staff, their own). */
  'classes.file': ['training_staff'],
  /** Approve a class or return it with a reason (the class's county, or the city). */
  'classes.approve': ['city_admin', 'county_admin'],
  /**
   * Run an approved class: enrol trainees, show the session QR, post online hours (an LMS acting
   * with an institution account), record completion results.
   */
  'classes.train': ['training_staff'],
  /** Check in and out of a session: a worker by QR, institution staff by face or by hand. */
  'attendance.check': ['training_staff', 'worker'],
  /**
   * Read training vouchers within scope: a county its region's, an institution those bound (or
   * waiting to be bound) to its classes, a worker their own.
   */
  'vouchers.read': ['city_admin', 'county_admin', 'auditor', 'finance', 'training_staff', 'worker'],
  /** Issue vouchers (one or a batch), cancel them, and decide workers' applications. */
  'vouchers.issue': ['city_admin', 'county_admin'],
  /** Bind a holder's voucher to one of the institution's approved classes. */
  'vouchers.bind': ['training_staff'],
  /** A worker's own vouchers: show the QR, confirm a binding, apply for a voucher. */
  'vouchers.hold': ['worker'],
  /**
   * Review bindings requested by ID number that the holder could not or did not confirm: list
   * them and approve or reject (a county administrator its region's vouchers, the city all).
   */
  'vouchers.review': ['city_admin', 'county_admin'],
  /** A worker's own classes: sessions, their attendance, hours and completion (我的培训). */
  'classes.attend': ['worker'],
  /** Redeem a certified voucher of your institution for a training-subsidy claim (以证换券). */
  'vouchers.redeem': ['training_staff'],
  /**
   * Read subsidy claims in scope: an institution, employer or HR agency its own, a county
   * administrator those of payees in its region, the city, auditors and finance all.
   */
  'subsidies.read': [
    'city_admin',
    'county_admin',
    'auditor',
    'finance',
    'training_staff',
    'evaluation_staff',
    'employer',
    'hr_agency',
  ],
  /**
   * Review subsidy claims: the first review by a county administrator of the payee's region (or
   * the city), the second (final, naming the fund) by the city. Nobody reviews a claim twice.
   */
  'subsidies.review': ['city_admin', 'county_admin'],
  /** Read the ledger: the trial balance per account. */
  'ledger.read': ['city_admin', 'auditor', 'finance'],
  /** Build payment batches of approved claims, export bank files, record results and repayments. */
  'payments.manage': ['city_admin', 'finance'],
  /** Read payment batches and their lines. */
  'payments.read': ['city_admin', 'finance', 'auditor'],
  /**
   * Read a payee's statement (its payable and receivable movements): the city, finance and
   * auditors any payee's, a county administrator its region's, an organisation's staff their own.
   */
  'ledger.statement': [
    'city_admin',
    'county_admin',
    'finance',
    'auditor',
    'training_staff',
    'evaluation_staff',
    'employer',
    'hr_agency',
  ],
  /**
   * Read evaluation sessions, candidates and results in scope: an evaluation institution its own,
   * a county administrator those at sites in its region, the city and auditors all.
   */
  'evaluations.read': ['city_admin', 'county_admin', 'auditor', 'evaluation_staff'],
  /**
   * Run evaluations at your institution's sites: schedule sessions inside approved scopes, add
   * candidates, enter scores and submit results (which issues the certificates).
   */
  'evaluations.manage': ['evaluation_staff'],
  /** Sample a session for review (抽查): a county administrator its region's, the city any. */
  'evaluations.sample': ['city_admin', 'county_admin'],
  /** Maintain the 专项职业能力 catalogue and the pass marks per occupation. */
  'evaluations.catalog.manage': ['city_admin'],
  /**
   * Read certificates in scope: a county its region's holders, an evaluation institution those it
   * issued, a worker their own (我的证书).
   */
  'certificates.read': ['city_admin', 'county_admin', 'auditor', 'evaluation_staff', 'worker'],
  /** Revoke a certificate with a reason (the holder's county, or the city). */
  'certificates.revoke': ['city_admin', 'county_admin'],
  /**
   * Download a certificate's signed verifiable credential (vc+jwt), within the same scope as
   * reading it: a worker their own, an evaluation institution those it issued, a county its
   * region's holders, the city and auditors any.
   */
  'certificates.credential': [
    'city_admin',
    'county_admin',
    'auditor',
    'evaluation_staff',
    'worker',
  ],
  /**
   * Send employment registrations and social-insurance contributions (the provincial system's
   * API, or a file import): each arrival re-checks hiring and placement subsidy eligibility.
   */
  'employment.write': ['city_admin', 'county_admin'],
  /** Read a person's employment registrations and insured months (a reviewer's evidence). */
  'employment.read': ['city_admin', 'county_admin', 'auditor', 'finance'],
  /** Record a placement (职业介绍): an HR agency its own, an administrator for a named agency. */
  'placements.write': ['hr_agency', 'city_admin', 'county_admin'],
  /** Read placements in scope: an agency its own, a county its agencies', the city all. */
  'placements.read': ['hr_agency', 'city_admin', 'county_admin', 'auditor'],
  /**
   * Report trainings (and certificates issued elsewhere) held outside the voucher loop: a unit
   * officer for its own unit, a county administrator for its county's units, the city for any,
   * institution staff for trainings their institution held for a named unit (R-ACT-1).
   */
  'activity.report': ['unit_officer', 'city_admin', 'county_admin', 'training_staff'],
  /** Read unit reports, reporting periods and the totals as they count in #9, within scope. */
  'activity.read': ['unit_officer', 'city_admin', 'county_admin', 'training_staff', 'auditor'],
  /** Close a reporting month: its reports can no longer be added, corrected or withdrawn. */
  'activity.periods.close': ['city_admin'],
  /**
   * Read targets, progress, trends and the reports (日统计、周调度、月小结、季通报): figures of
   * every unit, as the 通报 circulate them to all units.
   */
  'statistics.read': ['city_admin', 'county_admin', 'unit_officer', 'auditor', 'finance'],
  /**
   * Open the records behind a figure (persons, masked): a county administrator those attributed
   * to its county, a unit officer its unit's, the city and auditors all.
   */
  'statistics.records': ['city_admin', 'county_admin', 'unit_officer', 'auditor'],
  /** Enter later years' targets (on screen or by Excel) and the employed-persons denominators. */
  'targets.manage': ['city_admin'],
  /** Generate a report on demand (scheduled ones are generated by the system). */
  'reports.generate': ['city_admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * What a route demands: `public` (no login), `authenticated` (any logged-in account, even one
 * that still has to change its initial password), or a permission.
 */
export type Access = 'public' | 'authenticated' | { permission: Permission };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => hasPermission(role, p));
}

/**
 * The slice of the programme an account may see. Lists, searches, exports, statistics and jobs
 * filter by it, not only detail routes.
 */
export type Scope =
  | { kind: 'city' }
  | { kind: 'region'; regionCode: string }
  | { kind: 'unit'; unitId: string }
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'person'; personId: string };

export interface ScopedAccount {
  role: Role;
  regionCode: string | null;
  unitId: string | null;
  organisationId: string | null;
  personId: string | null;
}

/** Derives the scope from an account; a role missing its anchor is a data error, not "city". */
export function scopeOf(account: ScopedAccount): Scope {
  const missing = (what: string): never => {
    throw new Error(`A ${account.role} account has no ${what}`);
  };
  switch (account.role) {
    case 'city_admin':
    case 'auditor':
    case 'finance':
      return { kind: 'city' };
    case 'county_admin':
      return { kind: 'region', regionCode: account.regionCode ?? missing('region') };
    case 'unit_officer':
      return { kind: 'unit', unitId: account.unitId ?? missing('responsible unit') };
    case 'training_staff':
    case 'evaluation_staff':
    case 'employer':
    case 'hr_agency':
      return {
        kind: 'organisation',
        organisationId: account.organisationId ?? missing('organisation'),
      };
    case 'worker':
      return { kind: 'person', personId: account.personId ?? missing('person record') };
  }
}

/** Roles a county administrator may hand out: never a city-wide one. */
export const COUNTY_ASSIGNABLE_ROLES: readonly Role[] = [
  'county_admin',
  'unit_officer',
  'training_staff',
  'evaluation_staff',
  'employer',
  'hr_agency',
];
