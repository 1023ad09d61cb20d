import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { can, useMe } from '@/lib/use-me';
import { formatTime } from '@/lib/format';

import {
  useAuditChain,
  useMyCustomers,
  useOpenIncidents,
  usePendingGrants,
  useRequestsDue,
  useUnitCount,
  useUserCount,
} from './api';

/** One worklist: a heading, its rows, and what to do when it is empty. */
function Worklist({
  title,
  testId,
  empty,
  rows,
  footer,
}: {
  title: string;
  testId: string;
  empty: string;
  rows: ReactNode[] | undefined;
  footer?: ReactNode;
}) {
  return (
    <Card withBorder data-testid={testId}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {rows === undefined ? null : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack gap={6}>{rows}</Stack>
      )}
      {footer}
    </Card>
  );
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const lang = i18n.language;
  const mine = useMyCustomers(me?.id, can(me, 'customers:read'));
  const requests = useRequestsDue(can(me, 'privacy:requests'));
  const incidents = useOpenIncidents(can(me, 'incidents:read'));
  const chain = useAuditChain(can(me, 'audit:read'));
  const units = useUnitCount(can(me, 'org:write'));
  const users = useUserCount(can(me, 'users:write'));
  const grants = usePendingGrants(can(me, 'users:write') || can(me, 'grants:approve'));

  return (
    <Stack>
      <div>
        <Title order={1} size="h2" data-testid="dashboard-title">
          {t('dashboard.welcome', { name: me?.name ?? '' })}
        </Title>
        {me && (
          <Text c="dimmed" size="sm">
            {t(`roles.${me.role}`)}
          </Text>
        )}
      </div>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {can(me, 'customers:read') && (
          <Worklist
            title={t('dashboard.myCustomers')}
            testId="my-customers"
            empty={t('dashboard.myCustomersEmpty')}
            rows={mine.data?.items.map((c) => (
              <Group key={c.id} justify="space-between" wrap="nowrap">
                <Anchor component={Link} to={`/customers/${c.id}`} size="sm">
                  {c.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {c.last_contact_at
                    ? t('dashboard.lastContact', { when: formatTime(c.last_contact_at, lang) })
                    : t('dashboard.neverContacted')}
                </Text>
              </Group>
            ))}
            footer={
              <Anchor component={Link} to="/customers" size="sm" mt="sm" display="block">
                {t('dashboard.allCustomers')}
              </Anchor>
            }
          />
        )}
        {can(me, 'privacy:requests') && (
          <Worklist
            title={t('dashboard.requestsDue')}
            testId="requests-due"
            empty={t('dashboard.requestsEmpty')}
            rows={requests.data?.items.map((r) => (
              <Group key={r.id} justify="space-between" wrap="nowrap">
                <Anchor component={Link} to="/consent" size="sm">
                  {t(`privacy.kinds.${r.kind}`)}
                </Anchor>
                {r.overdue ? (
                  <Badge color="red" variant="light">
                    {t('privacy.overdue')}
                  </Badge>
                ) : (
                  <Text size="xs" c="dimmed">
                    {t('dashboard.dueOn', { date: formatTime(r.due_at, lang) })}
                  </Text>
                )}
              </Group>
            ))}
            footer={
              requests.data && requests.data.overdue > 0 ? (
                <Text size="sm" c="red.8" mt="sm">
                  {t('dashboard.overdueCount', { count: requests.data.overdue })}
                </Text>
              ) : null
            }
          />
        )}
        {can(me, 'incidents:read') && (
          <Worklist
            title={t('dashboard.openIncidents')}
            testId="open-incidents"
            empty={t('dashboard.incidentsEmpty')}
            rows={incidents.data?.map((i) => (
              <Group key={i.id} justify="space-between" wrap="nowrap">
                <Anchor component={Link} to={`/incidents/${i.id}`} size="sm">
                  {i.title}
                </Anchor>
                <Badge variant="light">{t(`incidents.statuses.${i.status}`)}</Badge>
              </Group>
            ))}
          />
        )}
        {chain.data && (
          <Card withBorder data-testid="audit-chain">
            <Title order={2} size="h4" mb="sm">
              {t('dashboard.auditChain')}
            </Title>
            <Group>
              {chain.data.ok ? (
                <Badge color="green">{t('dashboard.intact')}</Badge>
              ) : (
                <Badge color="red">{t('dashboard.broken', { seq: chain.data.first_broken_seq })}</Badge>
              )}
              <Text c="dimmed" size="sm">
                {t('dashboard.entries', { count: chain.data.checked })}
              </Text>
            </Group>
          </Card>
        )}
        {(units.data || users.data || grants.data) && (
          <Card withBorder data-testid="organisation">
            <Title order={2} size="h4" mb="sm">
              {t('dashboard.organisation')}
            </Title>
            <Stack gap={6}>
              {units.data && <Text size="sm">{t('dashboard.unitCount', { count: units.data.items.length })}</Text>}
              {users.data && <Text size="sm">{t('dashboard.userCount', { count: users.data.items.length })}</Text>}
              {grants.data && (
                <Text size="sm" c={grants.data.items.length ? 'orange.9' : 'dimmed'}>
                  {grants.data.items.length
                    ? t('dashboard.pendingGrants', { count: grants.data.items.length })
                    : t('dashboard.noPending')}
                </Text>
              )}
            </Stack>
          </Card>
        )}
      </SimpleGrid>
    </Stack>
  );
}
