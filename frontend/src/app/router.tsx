import { createBrowserRouter } from 'react-router';

import { AppLayout } from '@/components/app-layout';
import { ApiKeysPage } from '@/features/api-keys/api-keys-page';
import { AuditPage } from '@/features/audit/audit-page';
import { IncidentPage } from '@/features/incidents/incident-page';
import { IncidentReportPage } from '@/features/incidents/incident-report-page';
import { IncidentsPage } from '@/features/incidents/incidents-page';
import { KeysPage } from '@/features/keys/keys-page';
import { LoginPage } from '@/features/auth/login-page';
import { ComingSoon } from '@/features/common/coming-soon';
import { CustomerDetailPage } from '@/features/customers/customer-detail-page';
import { CustomersPage } from '@/features/customers/customers-page';
import { ImportPage } from '@/features/customers/import-page';
import { QualityPage } from '@/features/customers/quality-page';
import { DashboardPage } from '@/features/dashboard/dashboard-page';
import { UnitsPage } from '@/features/org/units-page';
import { UsersPage } from '@/features/org/users-page';
import { SelfServicePage } from '@/features/self-service/self-service-page';
import { PrivacyPage } from '@/features/privacy/privacy-page';
import { WebhooksPage } from '@/features/webhooks/webhooks-page';

const soon = ['segments', 'campaigns', 'tickets', 'kpi'].map((d) => ({
  path: d,
  element: <ComingSoon title={`nav.${d}`} />,
}));

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/self-service/consent', element: <SelfServicePage /> },
  { path: '/incidents/:id/report', element: <IncidentReportPage /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'customers', element: <CustomersPage /> },
      { path: 'customers/import', element: <ImportPage /> },
      { path: 'customers/quality', element: <QualityPage /> },
      { path: 'customers/:id', element: <CustomerDetailPage /> },
      { path: 'consent', element: <PrivacyPage /> },
      { path: 'incidents', element: <IncidentsPage /> },
      { path: 'incidents/:id', element: <IncidentPage /> },
      { path: 'units', element: <UnitsPage /> },
      { path: 'users', element: <UsersPage /> },
      { path: 'api-keys', element: <ApiKeysPage /> },
      { path: 'webhooks', element: <WebhooksPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'keys', element: <KeysPage /> },
      ...soon,
      { path: '*', element: <ComingSoon title="common.none" /> },
    ],
  },
]);
