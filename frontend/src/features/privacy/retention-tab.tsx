import { Alert, Button, Card, Group, NumberInput, Select, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { ifMatch } from '@/api/etag';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { PURPOSES, purposeLabel } from '@/lib/purposes';
import { JobProgress } from '@/components/job-progress';
import { formatTime } from '@/lib/format';

const label = (t: (k: string, o?: Record<string, string>) => string, purpose: string) =>
  purpose === 'relationship' ? t('retention.relationship') : purposeLabel(t, purpose);

/** Retention periods per purpose and the run that anonymises customers whose periods lapsed. */
export function RetentionTab() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const manage = can(me, 'privacy:manage');
  const client = useQueryClient();
  const policies = useQuery({
    queryKey: ['retention'],
    queryFn: async () => unwrap(await api.GET('/api/v1/retention-policies')),
  });
  const [purpose, setPurpose] = useState<string | null>('relationship');
  const [days, setDays] = useState<number | string>(1095);
  const existing = policies.data?.find((p) => p.purpose === purpose);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/retention-policies/{purpose}', {
          // A new period names no version; a change names the one listed.
          params: { path: { purpose: purpose ?? '' }, header: existing ? ifMatch(existing.version) : {} },
          body: { days: Number(days) },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['retention'] }),
  });
  const remove = useMutation({
    mutationFn: async (p: { purpose: string; version: number }) =>
      unwrap(
        await api.DELETE('/api/v1/retention-policies/{purpose}', {
          params: { path: { purpose: p.purpose }, header: ifMatch(p.version) },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['retention'] }),
  });
  const [jobId, setJobId] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: async (dryRun: boolean) => unwrap(await api.POST('/api/v1/retention-runs', { body: { dry_run: dryRun } })),
    onSuccess: (job) => setJobId(job.id),
  });
  const hasRelationship = policies.data?.some((p) => p.purpose === 'relationship');
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('retention.rule')}
      </Text>
      <ProblemAlert error={policies.error ?? save.error ?? remove.error ?? run.error} />
      {policies.data && !hasRelationship && <Alert color="gray">{t('retention.off')}</Alert>}
      <Table striped data-testid="retention-table">
        <Table.Tbody>
          {policies.data?.map((p) => (
            <Table.Tr key={p.purpose}>
              <Table.Td>{label(t, p.purpose)}</Table.Td>
              <Table.Td>{t('retention.days', { days: String(p.days) })}</Table.Td>
              <Table.Td>{formatTime(p.updated_at, i18n.language)}</Table.Td>
              <Table.Td>
                {manage && (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove.mutate(p)}>
                    {t('retention.remove')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {manage && (
        <Card withBorder>
          <Group align="end">
            <Select
              label={t('consent.purpose')}
              data={['relationship', ...PURPOSES].map((p) => ({ value: p, label: label(t, p) }))}
              value={purpose}
              onChange={setPurpose}
            />
            <NumberInput label={t('retention.period')} min={1} max={36500} value={days} onChange={setDays} />
            <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="retention-save">
              {t('retention.save')}
            </Button>
          </Group>
          <Group mt="md">
            <Button variant="light" onClick={() => run.mutate(true)} loading={run.isPending}>
              {t('retention.dryRun')}
            </Button>
            <Button color="red" onClick={() => run.mutate(false)} loading={run.isPending}>
              {t('retention.run')}
            </Button>
          </Group>
        </Card>
      )}
      {jobId && (
        <JobProgress id={jobId}>
          {(j) => {
            const r = j.result as Record<string, number | boolean> | null;
            return (
              r && (
                <Alert color={r.dry_run ? 'blue' : 'green'} data-testid="retention-result">
                  {t(r.dry_run ? 'retention.wouldAnonymise' : 'retention.anonymised', {
                    expired: String(r.expired),
                    anonymised: String(r.anonymised),
                    held: String(r.held),
                  })}
                </Alert>
              )
            );
          }}
        </JobProgress>
      )}
    </Stack>
  );
}
