import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { RouteError } from './layout/RouteError';

const HomePage = lazy(() => import('./pages/home/HomePage'));
const RegionsPage = lazy(() => import('./pages/regions/RegionsPage'));
const UnitsPage = lazy(() => import('./pages/units/UnitsPage'));
const PlansPage = lazy(() => import('./pages/plans/PlansPage'));
const OccupationsPage = lazy(() => import('./pages/occupations/OccupationsPage'));
const NotFoundPage = lazy(() => import('./pages/not-found/NotFoundPage'));

export const routes: RouteObject[] = [
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
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
