import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { downloadJobFile, JobProgress } from '@/components/job-progress';
import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';

import { useExportSegment, useSnapshots, useTakeSnapshot } from './api';

/** Freezing a segment's members for a campaign, the snapshots so far, and a CSV export of the
 * members now (a job; masked and audited like every export). */
export function SnapshotPanel({ id, manages }: { id: string; manages: boolean }) {
  const { t, i18n } = useTranslation();
  const snapshots = useSnapshots(id);
  const take = useTakeSnapshot(id);
  const exp = useExportSegment(id);
  return (
    <Stack gap="xs">
      {manages && (
        <Group>
          <Button variant="light" loading={take.isPending} onClick={() => take.mutate()} data-testid="segment-snapshot">
            {t('segments.snapshot')}
          </Button>
          <Button variant="default" loading={exp.isPending} disabled={!!exp.data} onClick={() => exp.mutate()}>
            {t('segments.export')}
          </Button>
        </Group>
      )}
      <ProblemAlert error={take.error ?? exp.error ?? snapshots.error} />
      {exp.data && (
        <JobProgress id={exp.data.id}>
          {(j) => {
            const r = j.result as unknown as { file: string; rows: number };
            return (
              <Group justify="space-between">
                <Text size="sm">{t('export.ready', { rows: r.rows })}</Text>
                <Button variant="light" onClick={() => void downloadJobFile(j.id, r.file)}>
                  {t('export.download')}
                </Button>
              </Group>
            );
          }}
        </JobProgress>
      )}
      {(snapshots.data?.length ?? 0) > 0 && (
        <ListTable data-testid="segment-snapshots" minWidth={320}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('segments.snapshotAt')}</Table.Th>
              <Table.Th>{t('segments.snapshotMembers')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {snapshots.data?.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{formatTime(s.created_at, i18n.language)}</Table.Td>
                <Table.Td>{new Intl.NumberFormat(i18n.language).format(s.members)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      )}
    </Stack>
  );
}
