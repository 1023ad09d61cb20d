import { Anchor, Badge, Button, Group, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';

import {
  CHANNELS,
  KINDS,
  PRIORITIES,
  QUEUES,
  STATUSES,
  useQueue,
  useQueueCounts,
  type Queue,
  type Ticket,
  type TicketFilters,
} from './api';
import { SlaDue } from './sla-due';

/** The time the countdowns count from, ticking each minute. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

const COUNTED: Partial<Record<Queue, 'mine' | 'unit' | 'unassigned' | 'breaching_soon' | 'overdue' | 'revisits'>> = {
  mine: 'mine',
  unit: 'unit',
  unassigned: 'unassigned',
  breaching: 'breaching_soon',
  overdue: 'overdue',
  revisits: 'revisits',
};

/** Tickets as a table: subject (a link, with the green-channel badge), the customer when the
 * list spans customers, type and priority, status, and the SLA countdown. */
export function TicketTable({ items, withCustomer = false }: { items: Ticket[] | undefined; withCustomer?: boolean }) {
  const { t } = useTranslation();
  const now = useMinuteClock();
  return (
    <ListTable striped data-testid="ticket-list">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('tickets.subject')}</Table.Th>
          {withCustomer && <Table.Th>{t('customers.name')}</Table.Th>}
          <Table.Th>{t('tickets.kind')}</Table.Th>
          <Table.Th>{t('tickets.status')}</Table.Th>
          <Table.Th>{t('tickets.due')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items?.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={withCustomer ? 5 : 4}>
              <Text size="sm" c="dimmed">
                {t('tickets.empty')}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {items?.map((x) => (
          <Table.Tr key={x.id} data-testid="ticket-row">
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Link to={`/tickets/${x.id}`}>{x.subject}</Link>
                {x.green_channel && (
                  <Badge size="xs" color="green" variant="light">
                    {t('tickets.greenChannel')}
                  </Badge>
                )}
              </Group>
            </Table.Td>
            {withCustomer && <Table.Td>{x.customer.name}</Table.Td>}
            <Table.Td>
              {t(`tickets.kinds.${x.kind}`)} · {t(`tickets.priorities.${x.priority}`)}
            </Table.Td>
            <Table.Td>{t(`tickets.statuses.${x.status}`)}</Table.Td>
            <Table.Td>
              <SlaDue t={x} now={now} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </ListTable>
  );
}

/** The service centre's queues (SVC-1, SVC-3, SVC-4): mine, my unit's, unassigned, breaching
 * soon, overdue and my revisits, with live counts and each ticket's SLA countdown. */
export function TicketsPage() {
  const { t } = useTranslation();
  const [queue, setQueue] = useState<Queue>('mine');
  const [filters, setFilters] = useState<TicketFilters>({});
  const tickets = useQueue(queue, filters);
  const counts = useQueueCounts().data;
  const narrow = <K extends keyof TicketFilters>(key: K, values: readonly string[], words: string) => (
    <Select
      aria-label={t(`tickets.${key}`)}
      placeholder={t(`tickets.${key}`)}
      data={values.map((v) => ({ value: v, label: t(`tickets.${words}.${v}`) }))}
      value={filters[key] ?? null}
      clearable
      w={150}
      onChange={(v) => setFilters({ ...filters, [key]: v ?? undefined })}
      data-testid={`ticket-filter-${key}`}
    />
  );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('tickets.title')}
        </Title>
        <Anchor component={Link} to="/tickets/sla" size="sm" data-testid="sla-link">
          {t('sla.link')}
        </Anchor>
      </Group>
      <SegmentedControl
        value={queue}
        onChange={(v) => setQueue(v as Queue)}
        data-testid="ticket-queues"
        data={QUEUES.map((q) => {
          const key = COUNTED[q];
          const n = key && counts ? ` (${counts[key]})` : '';
          return { value: q, label: `${t(`tickets.queues.${q}`)}${n}` };
        })}
        style={{ overflowX: 'auto' }}
      />
      <Group gap="xs">
        {narrow('status', STATUSES, 'statuses')}
        {narrow('kind', KINDS, 'kinds')}
        {narrow('priority', PRIORITIES, 'priorities')}
        {narrow('channel', CHANNELS, 'channels')}
      </Group>
      <ProblemAlert error={tickets.error} />
      <TicketTable items={tickets.isPending ? undefined : tickets.items} withCustomer />
      {tickets.hasNextPage && (
        <Button variant="default" onClick={() => void tickets.fetchNextPage()} loading={tickets.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
