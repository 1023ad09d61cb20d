import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { STAFF_ROLES } from '@/api/types';
import { can, useMe } from '@/features/auth/use-me';

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fw={700} size="xl">{value}</Text>
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const units = useQuery({
    queryKey: ['units', 'all'],
    enabled: can(me, 'org:read'),
    queryFn: async () => unwrap(await api.GET('/api/v1/units', { params: { query: { limit: 500 } } })),
  });
  const users = useQuery({
    queryKey: ['users', 'dashboard'],
    enabled: can(me, 'users:read'),
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 500 } } })),
  });
  const chain = useQuery({
    queryKey: ['audit', 'verify'],
    enabled: can(me, 'audit:read'),
    queryFn: async () => unwrap(await api.GET('/api/v1/audit/verify')),
  });
  const myUnit = units.data?.items.find((u) => u.id === me?.unit_id);
  const byRole = STAFF_ROLES.map((role) => ({
    role: t(`roles.${role}`),
    count: users.data?.items.filter((u) => u.role === role).length ?? 0,
  }));

  return (
    <Stack>
      <Title order={2} data-testid="dashboard-title">{t('dashboard.welcome', { name: me?.name ?? '' })}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Stat label={t('dashboard.yourRole')} value={me?.role ? t(`roles.${me.role}`) : '—'} />
        <Stat label={t('dashboard.yourUnit')} value={myUnit?.name ?? '—'} />
        {units.data && <Stat label={t('dashboard.units')} value={units.data.items.length} />}
        {users.data && <Stat label={t('dashboard.users')} value={users.data.items.length} />}
      </SimpleGrid>
      {users.data && (
        <Card withBorder>
          <Title order={4} mb="sm">{t('dashboard.usersByRole')}</Title>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={byRole}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="role" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="count" fill="#228be6" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </Card>
      )}
      {chain.data && (
        <Card withBorder>
          <Group>
            <Title order={4}>{t('dashboard.auditChain')}</Title>
            {chain.data.ok ? (
              <Badge color="green">{t('dashboard.intact')}</Badge>
            ) : (
              <Badge color="red">{t('dashboard.broken', { seq: chain.data.first_broken_seq })}</Badge>
            )}
            <Text c="dimmed" size="sm">{t('dashboard.entries', { count: chain.data.checked })}</Text>
          </Group>
        </Card>
      )}
    </Stack>
  );
}
