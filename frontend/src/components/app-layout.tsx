import { AppShell, Burger, Button, Group, Loader, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink as RouterLink, Outlet, useLocation } from 'react-router';

import { api } from '@/api/client';
import { can, useMe } from '@/lib/use-me';
import { setSession } from '@/lib/session';
import { useSession } from '@/lib/use-session';

import { CommandPalette } from './command-palette';
import { LanguageSwitch } from './language-switch';

type Item = { to: string; label: string; permission?: string };

/** The frame of every signed-in screen; `bell` is the notification bell the app mounts (for
 * those who may read tickets). */
export function AppLayout({ bell }: { bell?: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const me = useMe();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure();

  const domains = (
    [
      { to: '/', label: t('nav.dashboard') },
      { to: '/customers', label: t('nav.customers'), permission: 'customers:read' },
      { to: '/tickets', label: t('nav.tickets'), permission: 'tickets:read' },
      { to: '/tiers', label: t('nav.tiers'), permission: 'customers:read' },
      { to: '/segments', label: t('nav.segments'), permission: 'customers:read' },
      { to: '/churn', label: t('nav.churn'), permission: 'customers:read' },
      { to: '/campaigns', label: t('nav.campaigns'), permission: 'campaigns:read' },
      { to: '/care', label: t('nav.care'), permission: 'campaigns:read' },
      { to: '/rewards', label: t('nav.rewards'), permission: 'customers:read' },
      { to: '/consent', label: t('nav.consent'), permission: 'consent:read' },
      { to: '/incidents', label: t('nav.incidents'), permission: 'incidents:read' },
    ] as Item[]
  ).filter((i) => !i.permission || can(me.data, i.permission));
  const admin: Item[] = [
    { to: '/units', label: t('nav.units'), permission: 'org:read' },
    { to: '/users', label: t('nav.users'), permission: 'users:read' },
    { to: '/api-keys', label: t('nav.apiKeys'), permission: 'api_keys:manage' },
    { to: '/webhooks', label: t('nav.webhooks'), permission: 'api_keys:manage' },
    { to: '/audit', label: t('nav.audit'), permission: 'audit:read' },
    { to: '/keys', label: t('nav.keys'), permission: 'keys:manage' },
  ].filter((i) => can(me.data, i.permission));

  // The tab names the page in the UI's language: the deepest menu entry the address is under.
  const here = [...domains, ...admin]
    .filter((i) => (i.to === '/' ? location.pathname === '/' : location.pathname.startsWith(i.to)))
    .sort((a, b) => b.to.length - a.to.length)[0];
  const title = here ? `${here.label} · ${t('app.name')}` : t('app.name');
  useEffect(() => {
    document.title = title;
  }, [title]);

  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;

  async function logout() {
    await api.POST('/api/v1/auth/logout');
    setSession(null);
  }

  const link = (i: Item) => (
    <NavLink
      key={i.to}
      component={RouterLink}
      to={i.to}
      end={i.to === '/'}
      label={i.label}
      active={i.to === '/' ? location.pathname === '/' : location.pathname.startsWith(i.to)}
      // On a phone the menu covers the page: a choice closes it.
      onClick={close}
    />
  );

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Title order={4}>{t('app.name')}</Title>
          </Group>
          {/* On a phone the header keeps one line: the user's name moves into the menu. */}
          <Group wrap="nowrap" gap="xs">
            <CommandPalette pages={[...domains, ...admin]} customers={can(me.data, 'customers:read')} />
            <LanguageSwitch />
            {can(me.data, 'tickets:read') && bell}
            {me.data ? (
              <Text size="sm" data-testid="current-user" visibleFrom="sm">
                {me.data.name} · {me.data.role ? t(`roles.${me.data.role}`) : ''}
              </Text>
            ) : (
              <Loader size="xs" />
            )}
            <Button variant="subtle" size="xs" onClick={logout}>
              {t('auth.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea>
          {me.data && (
            <Text size="sm" hiddenFrom="sm" px="sm" pb="xs">
              {me.data.name} · {me.data.role ? t(`roles.${me.data.role}`) : ''}
            </Text>
          )}
          {domains.map(link)}
          {admin.length > 0 && (
            <Text size="xs" c="dimmed" mt="md" mb={4} px="sm">
              {t('nav.admin')}
            </Text>
          )}
          {admin.map(link)}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
