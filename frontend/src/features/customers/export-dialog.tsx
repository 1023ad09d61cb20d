import { Button, Group, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { downloadJobFile, JobProgress } from '@/components/job-progress';

import { countText, useCustomerCount, type ListFilters } from './api';

/** Exports what the list's filters select, masked for the user's role, as a background job. */
export function ExportDialog({ opened, onClose, filters }: { opened: boolean; onClose: () => void; filters: ListFilters }) {
  const { t, i18n } = useTranslation();
  // Personal data leaves the system: the dialog says how many people before anything starts.
  const count = useCustomerCount(filters, opened);
  const shown = count.data ? countText(count.data, i18n.language) : '…';
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/customers/exports', {
          body: { format, q: filters.q || undefined, tag: filters.tag || undefined },
        }),
      ),
    onSuccess: (job) => setJobId(job.id),
  });
  const close = () => {
    setJobId(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('export.title')}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('export.help')}
        </Text>
        <SegmentedControl value={format} onChange={(v) => setFormat(v as 'csv' | 'json')} data={['csv', 'json']} />
        {count.data && (
          <Text size="sm" fw={500} data-testid="export-count">
            {t('export.confirm', { count: count.data.count, shown })}
          </Text>
        )}
        <Button
          onClick={() => start.mutate()}
          loading={start.isPending}
          disabled={!!jobId || !count.data || count.data.count === 0}
          data-testid="export-start"
        >
          {t('export.start', { count: count.data?.count ?? 0, shown })}
        </Button>
        <ProblemAlert error={start.error} />
        {jobId && (
          <JobProgress id={jobId}>
            {(j) => {
              const r = j.result as unknown as { file: string; rows: number };
              return (
                <Group justify="space-between">
                  <Text size="sm">{t('export.ready', { rows: r.rows })}</Text>
                  <Button variant="light" onClick={() => void downloadJobFile(j.id, r.file)} data-testid="export-download">
                    {t('export.download')}
                  </Button>
                </Group>
              );
            }}
          </JobProgress>
        )}
      </Stack>
    </Modal>
  );
}
