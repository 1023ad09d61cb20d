import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';

import { AppLayout } from '@/components/app-layout';
import { LoginPage } from '@/features/auth/login-page';
import { NotFoundPage } from '@/features/common/not-found-page';

// Each screen is its own file, fetched when first opened: the first load is the login form and
// the frame, not every screen (and chart library) of the product.
const loading = (
  <Center h="60vh">
    <Loader aria-label="…" />
  </Center>
);

// The bell comes with the signed-in frame, not with the login form.
const Bell = lazy(async () => ({ default: (await import('@/features/tickets/bell')).Bell }));

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/self-service/consent',
    hydrateFallbackElement: loading,
    lazy: async () => ({ Component: (await import('@/features/self-service/self-service-page')).SelfServicePage }),
  },
  {
    path: '/self-service/tickets',
    hydrateFallbackElement: loading,
    lazy: async () => ({
      Component: (await import('@/features/self-service/tickets-self-service-page')).TicketsSelfServicePage,
    }),
  },
  {
    path: '/self-service/unsubscribe/:channel',
    hydrateFallbackElement: loading,
    lazy: async () => ({ Component: (await import('@/features/self-service/unsubscribe-page')).UnsubscribePage }),
  },
  {
    path: '/incidents/:id/report',
    hydrateFallbackElement: loading,
    lazy: async () => ({ Component: (await import('@/features/incidents/incident-report-page')).IncidentReportPage }),
  },
  {
    path: '/',
    element: (
      <AppLayout
        bell={
          <Suspense fallback={null}>
            <Bell />
          </Suspense>
        }
      />
    ),
    hydrateFallbackElement: loading,
    children: [
      { index: true, lazy: async () => ({ Component: (await import('@/features/dashboard/dashboard-page')).DashboardPage }) },
      {
        path: 'customers',
        lazy: async () => ({ Component: (await import('@/features/customers/customers-page')).CustomersPage }),
      },
      {
        path: 'customers/import',
        lazy: async () => ({ Component: (await import('@/features/customers/import-page')).ImportPage }),
      },
      {
        path: 'customers/quality',
        lazy: async () => ({ Component: (await import('@/features/customers/quality-page')).QualityPage }),
      },
      {
        path: 'customers/:id',
        lazy: async () => ({ Component: (await import('@/features/customers/customer-detail-page')).CustomerDetailPage }),
      },
      { path: 'tickets', lazy: async () => ({ Component: (await import('@/features/tickets/tickets-page')).TicketsPage }) },
      { path: 'tickets/sla', lazy: async () => ({ Component: (await import('@/features/tickets/sla-page')).SlaPage }) },
      { path: 'tickets/:id', lazy: async () => ({ Component: (await import('@/features/tickets/ticket-page')).TicketPage }) },
      { path: 'segments', lazy: async () => ({ Component: (await import('@/features/segments/segments-page')).SegmentsPage }) },
      {
        path: 'campaigns',
        lazy: async () => ({ Component: (await import('@/features/campaigns/campaigns-page')).CampaignsPage }),
      },
      {
        path: 'campaigns/:id',
        lazy: async () => ({ Component: (await import('@/features/campaigns/campaign-page')).CampaignPage }),
      },
      { path: 'rewards', lazy: async () => ({ Component: (await import('@/features/loyalty/rewards-page')).RewardsPage }) },
      { path: 'care', lazy: async () => ({ Component: (await import('@/features/care/care-page')).CarePage }) },
      { path: 'churn', lazy: async () => ({ Component: (await import('@/features/churn/churn-page')).ChurnPage }) },
      { path: 'tiers', lazy: async () => ({ Component: (await import('@/features/tiers/tiers-page')).TiersPage }) },
      { path: 'consent', lazy: async () => ({ Component: (await import('@/features/privacy/privacy-page')).PrivacyPage }) },
      {
        path: 'incidents',
        lazy: async () => ({ Component: (await import('@/features/incidents/incidents-page')).IncidentsPage }),
      },
      {
        path: 'incidents/:id',
        lazy: async () => ({ Component: (await import('@/features/incidents/incident-page')).IncidentPage }),
      },
      { path: 'units', lazy: async () => ({ Component: (await import('@/features/org/units-page')).UnitsPage }) },
      { path: 'users', lazy: async () => ({ Component: (await import('@/features/org/users-page')).UsersPage }) },
      { path: 'api-keys', lazy: async () => ({ Component: (await import('@/features/api-keys/api-keys-page')).ApiKeysPage }) },
      { path: 'webhooks', lazy: async () => ({ Component: (await import('@/features/webhooks/webhooks-page')).WebhooksPage }) },
      { path: 'audit', lazy: async () => ({ Component: (await import('@/features/audit/audit-page')).AuditPage }) },
      { path: 'keys', lazy: async () => ({ Component: (await import('@/features/keys/keys-page')).KeysPage }) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
