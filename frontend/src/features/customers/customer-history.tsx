import { Anchor, Badge, Button, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { formatTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';
import { ListTable } from '@/components/list-table';
import { ActionCell, ActorCell, useFieldWords } from '@/components/audit-cells';

/** Members of the customer's household in the user's scope (CUS-6). */
export function HouseholdTab({ customerId, householdId }: { customerId: string; householdId?: string | null }) {
  const { t } = useTranslation();
  const members = useQuery({
    queryKey: ['customers', 'household', householdId],
    enabled: !!householdId,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/customers', { params: { query: { household_id: householdId ?? '', limit: 100 } } })),
  });
  if (!householdId) return <Text c="dimmed">{t('customers.noHousehold')}</Text>;
  return (
    <Stack gap="xs" data-testid="household">
      <Text size="sm" c="dimmed">
        {t('customers.householdId', { id: householdId })}
      </Text>
      <ProblemAlert error={members.error} />
      {members.data?.items.map((m) => (
        <Text key={m.id}>
          {m.id === customerId ? (
            <b>{m.name}</b>
          ) : (
            <Anchor component={Link} to={`/customers/${m.id}`}>
              {m.name}
            </Anchor>
          )}
          {' · '}
          {t(`enums.customer_type.${m.customer_type}`)}
          {m.mobile ? ` · ${m.mobile}` : ''}
        </Text>
      ))}
    </Stack>
  );
}

/** Merges into this customer (with undo), then one timeline of everything done to it — changes,
 * reveals, consents, purchases and contacts, privacy requests, shares — with who did it. */
export function HistoryTab({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const client = useQueryClient();
  const merges = useQuery({
    queryKey: ['customers', customerId, 'merges'],
    queryFn: async () => unwrap(await api.GET('/api/v1/customers/{id}/merges', { params: { path: { id: customerId } } })),
  });
  const undo = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/customer-merges/{id}/undo', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['customers'] }),
  });
  const history = useCursorList(['customers', customerId, 'history'], async (cursor) =>
    unwrap(
      await api.GET('/api/v1/customers/{id}/history', { params: { path: { id: customerId }, query: { cursor, limit: 50 } } }),
    ),
  );
  const fieldWords = useFieldWords();
  const now = Date.now();
  return (
    <Stack data-testid="history">
      <ProblemAlert error={merges.error ?? undo.error ?? history.error} />
      {merges.data?.map((m) => (
        <Text key={m.id} size="sm">
          {t('merge.merged', { when: formatTime(m.merged_at, i18n.language) })}{' '}
          <Anchor component={Link} to={`/customers/${m.source_id}`}>
            {m.source_id.slice(-8)}
          </Anchor>{' '}
          {m.undone_at ? (
            <Badge color="gray">{t('merge.undone')}</Badge>
          ) : (
            can(me, 'customers:merge') &&
            new Date(m.undo_until).getTime() > now && (
              <Button
                size="xs"
                variant="light"
                loading={undo.isPending}
                onClick={() => undo.mutate(m.id)}
                data-testid="merge-undo"
              >
                {t('merge.undo')}
              </Button>
            )
          )}
        </Text>
      ))}
      <ListTable striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.at')}</Table.Th>
            <Table.Th>{t('audit.action')}</Table.Th>
            <Table.Th>{t('audit.actor')}</Table.Th>
            <Table.Th>{t('audit.fields')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.items.map((e, i) => (
            <Table.Tr key={`${e.at}-${i}`}>
              <Table.Td>{formatTime(e.at, i18n.language)}</Table.Td>
              <Table.Td>
                <ActionCell action={e.action} purpose={e.purpose} />
              </Table.Td>
              <Table.Td>
                <ActorCell name={e.actor_name} kind={e.actor_kind} role={e.actor_role} />
              </Table.Td>
              <Table.Td>{fieldWords(e.fields)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      {history.hasNextPage && (
        <Button variant="default" onClick={() => void history.fetchNextPage()}>
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
