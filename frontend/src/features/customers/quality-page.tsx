import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { JobProgress, OnFinished } from '@/components/job-progress';
import { formatTime } from '@/lib/format';

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The finished run's counts; refreshes the figures once. */
function RunDone({ result, onSeen }: { result: unknown; onSeen: () => void }) {
  const { t } = useTranslation();
  const r = result as { marked_unreachable: number; inactive: number };
  return (
    <OnFinished onSeen={onSeen}>
      <Text size="sm">{t('quality.done', { unreachable: r.marked_unreachable, inactive: r.inactive })}</Text>
    </OnFinished>
  );
}

/** Information accuracy per unit (verified / filled fields), reachability and inactivity. */
export function QualityPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const client = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const report = useQuery({
    queryKey: ['customers', 'quality'],
    queryFn: async () => unwrap(await api.GET('/api/v1/customers/quality')),
  });
  const run = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/customers/quality-runs')),
    onSuccess: (job) => setJobId(job.id),
  });
  const rows = report.data ?? [];
  const chart = rows.map((r) => ({ unit: r.unit_name, accuracy: Math.round(r.accuracy * 1000) / 10 }));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('quality.title')}
        </Title>
        {can(me, 'customers:quality') && (
          <Button onClick={() => run.mutate()} loading={run.isPending} data-testid="quality-run">
            {t('quality.run')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('quality.help')}
      </Text>
      <ProblemAlert error={report.error ?? run.error} />
      {jobId && (
        <Card withBorder>
          <JobProgress id={jobId}>
            {(j) => (
              <RunDone result={j.result} onSeen={() => void client.invalidateQueries({ queryKey: ['customers', 'quality'] })} />
            )}
          </JobProgress>
        </Card>
      )}
      {rows.length > 0 ? (
        <>
          <Card withBorder>
            <Title order={4} mb="sm">
              {t('quality.accuracy')}
            </Title>
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={chart}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="unit" />
                <YAxis unit="%" domain={[0, 100]} />
                <Tooltip />
                <Bar dataKey="accuracy" fill="#12b886" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </Card>
          <Table striped data-testid="quality-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.unit')}</Table.Th>
                <Table.Th>{t('quality.customers')}</Table.Th>
                <Table.Th>{t('quality.verifiedOfFilled')}</Table.Th>
                <Table.Th>{t('quality.accuracy')}</Table.Th>
                <Table.Th>{t('customers.unreachable')}</Table.Th>
                <Table.Th>{t('quality.inactive')}</Table.Th>
                <Table.Th>{t('quality.measured')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.unit_id}>
                  <Table.Td>{r.unit_name}</Table.Td>
                  <Table.Td>{r.customers}</Table.Td>
                  <Table.Td>
                    {r.verified} / {r.filled}
                  </Table.Td>
                  <Table.Td>{percent(r.accuracy)}</Table.Td>
                  <Table.Td>{r.unreachable}</Table.Td>
                  <Table.Td>{r.inactive}</Table.Td>
                  <Table.Td>{formatTime(r.measured_at, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : (
        !report.isLoading && <Text c="dimmed">{t('quality.none')}</Text>
      )}
    </Stack>
  );
}
