import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { AppLayout } from './layout/AppLayout';
import { AuthLayout } from './layout/AuthLayout';
import { RouteError } from './layout/RouteError';

const HomePage = lazy(() => import('./pages/home/HomePage'));
const RegionsPage = lazy(() => import('./pages/regions/RegionsPage'));
const UnitsPage = lazy(() => import('./pages/units/UnitsPage'));
const PlansPage = lazy(() => import('./pages/plans/PlansPage'));
const OccupationsPage = lazy(() => import('./pages/occupations/OccupationsPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const PersonsPage = lazy(() => import('./pages/persons/PersonsPage'));
const PersonDetailPage = lazy(() => import('./pages/persons/PersonDetailPage'));
const MePage = lazy(() => import('./pages/me/MePage'));
const OrganisationsPage = lazy(() => import('./pages/organisations/OrganisationsPage'));
const OrganisationDetailPage = lazy(() => import('./pages/organisations/OrganisationDetailPage'));
const ImportsPage = lazy(() => import('./pages/imports/ImportsPage'));
const VouchersPage = lazy(() => import('./pages/vouchers/VouchersPage'));
const MyVouchersPage = lazy(() => import('./pages/vouchers/MyVouchersPage'));
const ClassReviewPage = lazy(() => import('./pages/classes/ClassReviewPage'));
const ClassesPage = lazy(() => import('./pages/classes/ClassesPage'));
const ClassDetailPage = lazy(() => import('./pages/classes/ClassDetailPage'));
const MyClassesPage = lazy(() => import('./pages/me/MyClassesPage'));
const CheckInPage = lazy(() => import('./pages/me/CheckInPage'));
const EvaluationsPage = lazy(() => import('./pages/evaluations/EvaluationsPage'));
const EvaluationDetailPage = lazy(() => import('./pages/evaluations/EvaluationDetailPage'));
const CertificatesPage = lazy(() => import('./pages/certificates/CertificatesPage'));
const CertificateDetailPage = lazy(() => import('./pages/certificates/CertificateDetailPage'));
const CertificatePrintPage = lazy(() => import('./pages/certificates/CertificatePrintPage'));
const MyCertificatesPage = lazy(() => import('./pages/certificates/MyCertificatesPage'));
const ClaimsPage = lazy(() => import('./pages/claims/ClaimsPage'));
const PlacementsPage = lazy(() => import('./pages/placements/PlacementsPage'));
const ActivityPage = lazy(() => import('./pages/activity/ActivityPage'));
const ActivityPeriodsPage = lazy(() => import('./pages/activity/ActivityPeriodsPage'));
const LedgerPage = lazy(() => import('./pages/ledger/LedgerPage'));
const StatementPage = lazy(() => import('./pages/ledger/StatementPage'));
const PaymentsPage = lazy(() => import('./pages/payments/PaymentsPage'));
const PaymentBatchPage = lazy(() => import('./pages/payments/PaymentBatchPage'));
const VerifyPage = lazy(() => import('./pages/verify/VerifyPage'));
const LoginPage = lazy(() => import('./pages/login/LoginPage'));
const RegisterPage = lazy(() => import('./pages/register/RegisterPage'));
const ChangePasswordPage = lazy(() => import('./pages/account/ChangePasswordPage'));
const TargetsPage = lazy(() => import('./pages/statistics/TargetsPage'));
const DashboardPage = lazy(() => import('./pages/statistics/DashboardPage'));
const ReportsPage = lazy(() => import('./pages/statistics/ReportsPage'));
const TargetsManagePage = lazy(() => import('./pages/targets/TargetsManagePage'));
const NotFoundPage = lazy(() => import('./pages/not-found/NotFoundPage'));

export const routes: RouteObject[] = [
  {
    // Login, a worker's registration and the change of an initial password: a bare card, no
    // menu to wander off through.
    element: <AuthLayout />,
    errorElement: <RouteError />,
    children: [
      { path: 'login', element: <LoginPage /> },
      { path: 'register', element: <RegisterPage /> },
      { path: 'account/password', element: <ChangePasswordPage /> },
      // The public certificate check a certificate's QR code opens: no login, fits a phone.
      { path: 'verify', element: <VerifyPage /> },
    ],
  },
  {
    // The A4 certificate to print: no menu around it.
    path: 'certificates/:id/print',
    errorElement: <RouteError />,
    element: (
      <Suspense fallback={null}>
        <RequireAuth permission="certificates.read">
          <CertificatePrintPage />
        </RequireAuth>
      </Suspense>
    ),
  },
  {
    path: '/',
    element: <AppLayout />,
    // Only if the layout itself fails; pages fail inside it (below).
    errorElement: <RouteError />,
    children: [
      {
        // A page that throws is reported inside the layout, so the menu stays usable.
        errorElement: <RouteError />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'regions', element: <RegionsPage /> },
          { path: 'units', element: <UnitsPage /> },
          { path: 'plans', element: <PlansPage /> },
          { path: 'occupations', element: <OccupationsPage /> },
          {
            path: 'me',
            element: (
              <RequireAuth permission="persons.read">
                <MePage />
              </RequireAuth>
            ),
          },
          {
            path: 'me/vouchers',
            element: (
              <RequireAuth permission="vouchers.hold">
                <MyVouchersPage />
              </RequireAuth>
            ),
          },
          {
            path: 'me/classes',
            element: (
              <RequireAuth permission="classes.attend">
                <MyClassesPage />
              </RequireAuth>
            ),
          },
          {
            // What a trainee's phone opens from the classroom screen's QR code.
            path: 'me/check-in',
            element: (
              <RequireAuth permission="attendance.check">
                <CheckInPage />
              </RequireAuth>
            ),
          },
          {
            path: 'classes',
            element: (
              <RequireAuth permission="classes.file">
                <ClassesPage />
              </RequireAuth>
            ),
          },
          {
            path: 'classes/:id',
            element: (
              <RequireAuth permission="classes.train">
                <ClassDetailPage />
              </RequireAuth>
            ),
          },
          {
            path: 'vouchers',
            element: (
              <RequireAuth permission="vouchers.issue">
                <VouchersPage />
              </RequireAuth>
            ),
          },
          {
            path: 'class-review',
            element: (
              <RequireAuth permission="classes.approve">
                <ClassReviewPage />
              </RequireAuth>
            ),
          },
          {
            path: 'persons',
            element: (
              <RequireAuth permission="persons.read">
                <PersonsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'persons/:id',
            element: (
              <RequireAuth permission="persons.read">
                <PersonDetailPage />
              </RequireAuth>
            ),
          },
          {
            path: 'imports',
            element: (
              <RequireAuth
                permission={[
                  'persons.import',
                  'organisations.import',
                  'employment.write',
                  'activity.report',
                ]}
              >
                <ImportsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'organisations',
            element: (
              <RequireAuth permission="organisations.read">
                <OrganisationsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'organisations/:id',
            element: (
              <RequireAuth permission="organisations.read">
                <OrganisationDetailPage />
              </RequireAuth>
            ),
          },
          {
            path: 'users',
            element: (
              <RequireAuth permission="users.read">
                <UsersPage />
              </RequireAuth>
            ),
          },
          {
            path: 'evaluations',
            element: (
              <RequireAuth permission="evaluations.read">
                <EvaluationsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'evaluations/:id',
            element: (
              <RequireAuth permission="evaluations.read">
                <EvaluationDetailPage />
              </RequireAuth>
            ),
          },
          {
            path: 'certificates',
            element: (
              <RequireAuth permission="certificates.read">
                <CertificatesPage />
              </RequireAuth>
            ),
          },
          {
            path: 'certificates/:id',
            element: (
              <RequireAuth permission="certificates.read">
                <CertificateDetailPage />
              </RequireAuth>
            ),
          },
          {
            path: 'me/certificates',
            element: (
              <RequireAuth permission="certificates.read">
                <MyCertificatesPage />
              </RequireAuth>
            ),
          },
          {
            path: 'claims',
            element: (
              <RequireAuth permission="subsidies.read">
                <ClaimsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'activity',
            element: (
              <RequireAuth permission="activity.read">
                <ActivityPage />
              </RequireAuth>
            ),
          },
          {
            path: 'activity/periods',
            element: (
              <RequireAuth permission="activity.read">
                <ActivityPeriodsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'placements',
            element: (
              <RequireAuth permission="placements.read">
                <PlacementsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'ledger',
            element: (
              <RequireAuth permission="ledger.read">
                <LedgerPage />
              </RequireAuth>
            ),
          },
          {
            path: 'statement',
            element: (
              <RequireAuth permission="ledger.statement">
                <StatementPage />
              </RequireAuth>
            ),
          },
          {
            path: 'payments',
            element: (
              <RequireAuth permission="payments.read">
                <PaymentsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'payments/:id',
            element: (
              <RequireAuth permission="payments.read">
                <PaymentBatchPage />
              </RequireAuth>
            ),
          },
          {
            path: 'targets',
            element: (
              <RequireAuth permission="statistics.read">
                <TargetsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'targets/manage',
            element: (
              <RequireAuth permission="targets.manage">
                <TargetsManagePage />
              </RequireAuth>
            ),
          },
          {
            path: 'dashboard',
            element: (
              <RequireAuth permission="statistics.read">
                <DashboardPage />
              </RequireAuth>
            ),
          },
          {
            path: 'reports',
            element: (
              <RequireAuth permission="statistics.read">
                <ReportsPage />
              </RequireAuth>
            ),
          },
          {
            path: 'audit',
            element: (
              <RequireAuth permission="audit.read">
                <AuditPage />
              </RequireAuth>
            ),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
