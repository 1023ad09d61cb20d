import { Alert, Badge, Button, Card, Code, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { JobProgress } from '@/components/job-progress';

/** Key rotation for operators: which keys are held, what still uses an older one, and the run
 *  that moves everything to the newest keys. */
export function KeysPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: ['keys'], queryFn: async () => unwrap(await api.GET('/api/v1/keys')) });
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/key-rotations')),
    onSuccess: (job) => setJobId(job.id),
  });
  const s = status.data;
  const keyList = (ids: string[], current: string) => (
    <Group gap="xs">
      {ids.map((k) => (
        <Badge key={k} variant={k === current ? 'filled' : 'light'} color={k === current ? 'green' : 'gray'}>
          {k}
        </Badge>
      ))}
    </Group>
  );
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('keys.title')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('keys.intro')}
      </Text>
      <ProblemAlert error={status.error ?? start.error} />
      {s && (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Text fw={600}>{t('keys.field')}</Text>
              {keyList(s.field_keys, s.encrypting_with)}
              <Text size="sm" mt="xs">
                {t('keys.writesWith', { key: s.encrypting_with })}
              </Text>
            </Card>
            <Card withBorder>
              <Text fw={600}>{t('keys.blind')}</Text>
              {keyList(s.blind_index_keys, s.indexing_with)}
              <Text size="sm" mt="xs">
                {s.blind_index_current ? t('keys.blindCurrent') : t('keys.blindPending', { key: s.indexing_with })}
              </Text>
            </Card>
          </SimpleGrid>
          <Card withBorder p={0}>
            <Table data-testid="stale-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('keys.place')}</Table.Th>
                  <Table.Th>{t('keys.stale')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(['customers', 'webhooks', 'merge_snapshots'] as const).map((p) => (
                  <Table.Tr key={p}>
                    <Table.Td>{t(`keys.places.${p}`)}</Table.Td>
                    <Table.Td>{s.stale[p]}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          {s.retirable ? (
            <Alert color="green" data-testid="keys-retirable">
              {s.field_keys.length + s.blind_index_keys.length > 2 ? (
                <>
                  {t('keys.retirable')} <Code>guanxi rotate-keys --retire</Code>
                </>
              ) : (
                t('keys.single')
              )}
            </Alert>
          ) : (
            <Alert color="orange">{t('keys.notRetirable')}</Alert>
          )}
        </>
      )}
      <Group>
        <Button onClick={() => start.mutate()} loading={start.isPending} data-testid="start-rotation">
          {t('keys.run')}
        </Button>
        <Button variant="subtle" onClick={() => qc.invalidateQueries({ queryKey: ['keys'] })}>
          {t('keys.refresh')}
        </Button>
      </Group>
      {jobId && (
        <JobProgress id={jobId}>
          {(j) => {
            const r = j.result as Record<string, number> | null;
            return (
              r && (
                <Alert color="green">
                  {t('keys.done', {
                    customers: r.customers_updated,
                    webhooks: r.webhooks_updated,
                    merges: r.merge_snapshots_updated,
                  })}
                </Alert>
              )
            );
          }}
        </JobProgress>
      )}
      <Card withBorder>
        <Text fw={600}>{t('keys.howTo')}</Text>
        <List type="ordered" size="sm">
          <List.Item>
            <Code>guanxi rotate-keys</Code> / <Code>guanxi rotate-keys --blind-index</Code>
          </List.Item>
          <List.Item>{t('keys.step2')}</List.Item>
          <List.Item>{t('keys.step3')}</List.Item>
          <List.Item>
            <Code>guanxi rotate-keys --retire</Code>
          </List.Item>
        </List>
      </Card>
    </Stack>
  );
}
