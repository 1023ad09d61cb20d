import { Alert, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { Verification } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { JobProgress } from '@/components/job-progress';
import { formatTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';
import { CustomerRef } from '@/components/customer-ref';
import { ListTable } from '@/components/list-table';
import { ActionCell, ActorCell, useFieldWords } from '@/components/audit-cells';

function VerificationResult({ v }: { v: Verification }) {
  const { t } = useTranslation();
  return v.ok ? (
    <Alert color="green" data-testid="verify-result">
      {t('audit.ok', { checked: v.checked })}
    </Alert>
  ) : (
    <Alert color="red" data-testid="verify-result">
      {t('audit.bad', { seq: v.first_broken_seq, reason: v.reason })}
    </Alert>
  );
}

/** Filters of the trail, kept in the address (shareable; Back returns to them). */
const FILTERS = ['actor', 'customer', 'action', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];

/** A date field's day as the start of that day in the reader's time zone (`to` is exclusive). */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const fieldWords = useFieldWords();
  const [params, setParams] = useSearchParams();
  const value = (f: Filter) => params.get(f) ?? '';
  const set = (f: Filter, v: string | null) =>
    setParams(
      (p) => {
        if (v) p.set(f, v);
        else p.delete(f);
        return p;
      },
      { replace: true },
    );
  const filters = Object.fromEntries(FILTERS.map((f) => [f, value(f)])) as Record<Filter, string>;
  const list = useCursorList(['audit', filters], async (cursor) =>
    unwrap(
      await api.GET('/api/v1/audit', {
        params: {
          query: {
            limit: 50,
            cursor,
            action: filters.action || undefined,
            actor_id: filters.actor || undefined,
            resource_type: filters.customer ? 'customer' : undefined,
            resource_id: filters.customer || undefined,
            from: dayStart(filters.from),
            to: dayStart(filters.to, 1),
          },
        },
      }),
    ),
  );
  const people = useQuery({
    queryKey: ['users', 'audit-filter'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 500 } } })),
  });
  const actions = useMemo(
    () =>
      Object.keys(i18n.getResourceBundle(i18n.language, 'translation')?.auditActions ?? {})
        .map((code) => ({ value: code, label: t(`auditActions.${code}`) }))
        .sort((a, b) => a.label.localeCompare(b.label, i18n.language)),
    [i18n, t],
  );
  const purpose = (p: string) => t(`enums.purpose.${p}`, { defaultValue: t(`consent.purposes.${p}`, { defaultValue: p }) });
  const verify = useMutation({ meta: { toast: false }, mutationFn: async () => unwrap(await api.GET('/api/v1/audit/verify')) });
  const [jobId, setJobId] = useState<string | null>(null);
  const startJob = useMutation({
    meta: { toast: false },
    mutationFn: async () => unwrap(await api.POST('/api/v1/audit/verifications')),
    onSuccess: (job) => setJobId(job.id),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('audit.title')}
        </Title>
        <Group>
          <Button onClick={() => verify.mutate()} loading={verify.isPending}>
            {t('audit.verify')}
          </Button>
          <Button variant="light" onClick={() => startJob.mutate()} loading={startJob.isPending}>
            {t('audit.verifyJob')}
          </Button>
        </Group>
      </Group>
      {verify.data && <VerificationResult v={verify.data} />}
      {jobId && (
        <JobProgress id={jobId}>{(j) => j.result && <VerificationResult v={j.result as unknown as Verification} />}</JobProgress>
      )}
      <ProblemAlert error={list.error ?? verify.error ?? startJob.error} />
      <Group align="end" data-testid="audit-filters">
        <Select
          label={t('audit.person')}
          placeholder={t('audit.anyone')}
          data={(people.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})` }))}
          value={filters.actor || null}
          onChange={(v) => set('actor', v)}
          searchable
          clearable
          w={220}
        />
        <Select
          label={t('audit.action')}
          placeholder={t('audit.anyAction')}
          data={actions}
          value={filters.action || null}
          onChange={(v) => set('action', v)}
          searchable
          clearable
          w={240}
          data-testid="audit-action"
        />
        <TextInput
          type="date"
          label={t('audit.from')}
          value={filters.from}
          onChange={(e) => set('from', e.currentTarget.value)}
        />
        <TextInput type="date" label={t('audit.to')} value={filters.to} onChange={(e) => set('to', e.currentTarget.value)} />
      </Group>
      {filters.customer && (
        <Alert color="blue" data-testid="audit-customer-filter">
          <Group justify="space-between">
            <Text size="sm">{t('audit.aboutCustomer')}</Text>
            <Button size="compact-xs" variant="light" onClick={() => set('customer', null)}>
              {t('audit.clear')}
            </Button>
          </Group>
        </Alert>
      )}
      <Card withBorder p={0}>
        <ListTable striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.at')}</Table.Th>
              <Table.Th>{t('audit.actor')}</Table.Th>
              <Table.Th>{t('audit.action')}</Table.Th>
              <Table.Th>{t('audit.customer')}</Table.Th>
              <Table.Th>{t('audit.purpose')}</Table.Th>
              <Table.Th>{t('audit.fields')}</Table.Th>
              <Table.Th>{t('audit.address')}</Table.Th>
              <Table.Th>{t('audit.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody data-testid="audit-entries">
            {list.items.map((e) => (
              <Table.Tr key={e.seq}>
                <Table.Td>{formatTime(e.at, i18n.language)}</Table.Td>
                <Table.Td>
                  <ActorCell name={e.actor_name} kind={e.actor_kind} role={e.actor_role} />
                </Table.Td>
                <Table.Td>
                  <ActionCell action={e.action} />
                </Table.Td>
                <Table.Td>{e.resource_type === 'customer' ? <CustomerRef customer={e.customer} /> : '—'}</Table.Td>
                <Table.Td>{e.purpose ? purpose(e.purpose) : '—'}</Table.Td>
                <Table.Td>{fieldWords(e.fields)}</Table.Td>
                <Table.Td>{e.ip ?? '—'}</Table.Td>
                <Table.Td>
                  <Badge color={e.outcome === 'success' ? 'green' : 'orange'} variant="light">
                    {e.outcome}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </Card>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
