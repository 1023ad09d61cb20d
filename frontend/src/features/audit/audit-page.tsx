import { Alert, Badge, Button, Card, Code, Group, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { Job, Verification } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';

function VerificationResult({ v }: { v: Verification }) {
  const { t } = useTranslation();
  return v.ok ? (
    <Alert color="green" data-testid="verify-result">{t('audit.ok', { checked: v.checked })}</Alert>
  ) : (
    <Alert color="red" data-testid="verify-result">{t('audit.bad', { seq: v.first_broken_seq, reason: v.reason })}</Alert>
  );
}

/** Polls a verification job until it ends, showing its progress. */
function JobProgress({ id }: { id: string }) {
  const { t } = useTranslation();
  const job = useQuery({
    queryKey: ['jobs', id],
    queryFn: async (): Promise<Job> => unwrap(await api.GET('/api/v1/jobs/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && ['succeeded', 'failed'].includes(q.state.data.status) ? false : 500),
  });
  const j = job.data;
  if (!j) return <ProblemAlert error={job.error} />;
  const total = j.total ?? 0;
  const percent = total > 0 ? (j.done / total) * 100 : j.status === 'succeeded' ? 100 : 0;
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm">{t('audit.progress', { done: j.done, total: j.total ?? '?' })}</Text>
        <Badge>{j.status}</Badge>
      </Group>
      <Progress value={percent} animated={j.status === 'running' || j.status === 'queued'} />
      {j.status === 'succeeded' && j.result && <VerificationResult v={j.result as unknown as Verification} />}
      {j.error && <Alert color="red">{j.error}</Alert>}
    </Stack>
  );
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [action, setAction] = useState('');
  const [debounced] = useDebouncedValue(action.trim(), 300);
  const list = useCursorList(['audit', debounced], async (cursor) =>
    unwrap(await api.GET('/api/v1/audit', { params: { query: { limit: 50, cursor, action: debounced || undefined } } })),
  );
  const verify = useMutation({ mutationFn: async () => unwrap(await api.GET('/api/v1/audit/verify')) });
  const [jobId, setJobId] = useState<string | null>(null);
  const startJob = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/audit/verifications')),
    onSuccess: (job) => setJobId(job.id),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('audit.title')}</Title>
        <Group>
          <Button onClick={() => verify.mutate()} loading={verify.isPending}>{t('audit.verify')}</Button>
          <Button variant="light" onClick={() => startJob.mutate()} loading={startJob.isPending}>{t('audit.verifyJob')}</Button>
        </Group>
      </Group>
      {verify.data && <VerificationResult v={verify.data} />}
      {jobId && <JobProgress id={jobId} />}
      <ProblemAlert error={list.error ?? verify.error ?? startJob.error} />
      <TextInput placeholder={t('audit.filterAction')} value={action} onChange={(e) => setAction(e.currentTarget.value)} w={300} />
      <Card withBorder p={0}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('audit.at')}</Table.Th>
              <Table.Th>{t('audit.actor')}</Table.Th>
              <Table.Th>{t('audit.action')}</Table.Th>
              <Table.Th>{t('audit.resource')}</Table.Th>
              <Table.Th>{t('audit.fields')}</Table.Th>
              <Table.Th>{t('audit.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((e) => (
              <Table.Tr key={e.seq}>
                <Table.Td>{e.seq}</Table.Td>
                <Table.Td>{formatTime(e.at, i18n.language)}</Table.Td>
                <Table.Td>{e.actor_kind}{e.actor_role ? ` · ${t(`roles.${e.actor_role}`)}` : ''}</Table.Td>
                <Table.Td><Code>{e.action}</Code></Table.Td>
                <Table.Td>{e.resource_type}</Table.Td>
                <Table.Td>{e.fields.join(', ')}</Table.Td>
                <Table.Td>
                  <Badge color={e.outcome === 'success' ? 'green' : 'orange'} variant="light">{e.outcome}</Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
