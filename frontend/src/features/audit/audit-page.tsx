import { Alert, Badge, Button, Card, Code, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { Verification } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { JobProgress } from '@/features/jobs/job-progress';
import { formatTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';
import { ListTable } from '@/components/list-table';

function VerificationResult({ v }: { v: Verification }) {
  const { t } = useTranslation();
  return v.ok ? (
    <Alert color="green" data-testid="verify-result">{t('audit.ok', { checked: v.checked })}</Alert>
  ) : (
    <Alert color="red" data-testid="verify-result">{t('audit.bad', { seq: v.first_broken_seq, reason: v.reason })}</Alert>
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
        <Title order={1} size="h2">{t('audit.title')}</Title>
        <Group>
          <Button onClick={() => verify.mutate()} loading={verify.isPending}>{t('audit.verify')}</Button>
          <Button variant="light" onClick={() => startJob.mutate()} loading={startJob.isPending}>{t('audit.verifyJob')}</Button>
        </Group>
      </Group>
      {verify.data && <VerificationResult v={verify.data} />}
      {jobId && <JobProgress id={jobId}>{(j) => j.result && <VerificationResult v={j.result as unknown as Verification} />}</JobProgress>}
      <ProblemAlert error={list.error ?? verify.error ?? startJob.error} />
      <TextInput placeholder={t('audit.filterAction')} value={action} onChange={(e) => setAction(e.currentTarget.value)} w={300} />
      <Card withBorder p={0}>
        <ListTable striped>
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
