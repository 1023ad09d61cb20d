import { Button, Group, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import type { components } from '@/api/schema';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { downloadJobFile, JobProgress } from '@/components/job-progress';

import { countText, filterQuery, useCustomerCount, type ListFilters } from './api';

type Format = components['schemas']['ExportFormat'];
const FORMATS: Format[] = ['xlsx', 'csv', 'json'];

/** Exports what the list's filters select — or the rows chosen in it (`ids`) — masked for the
 * user's role, as a background job. */
export function ExportDialog({
  opened,
  onClose,
  filters,
  ids,
}: {
  opened: boolean;
  onClose: () => void;
  filters: ListFilters;
  ids?: string[];
}) {
  const { t, i18n } = useTranslation();
  // Personal data leaves the system: the dialog says how many people before anything starts.
  const counted = useCustomerCount(filters, opened && !ids);
  const count = ids ? { count: ids.length, exact: true } : counted.data;
  const shown = count ? countText(count, i18n.language) : '…';
  // What business users open; CSV and JSON for other programs.
  const [format, setFormat] = useState<Format>('xlsx');
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/customers/exports', {
          body: ids ? { format, ids } : { format, ...filterQuery(filters) },
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
          {t(ids ? 'export.helpSelected' : 'export.help')}
        </Text>
        <SegmentedControl
          value={format}
          onChange={(v) => setFormat(v as Format)}
          data={FORMATS.map((f) => ({ value: f, label: t(`export.format.${f}`) }))}
          aria-label={t('export.formatLabel')}
          data-testid="export-format"
        />
        {count && (
          <Text size="sm" fw={500} data-testid="export-count">
            {t('export.confirm', { count: count.count, shown })}
          </Text>
        )}
        <Button
          onClick={() => start.mutate()}
          loading={start.isPending}
          disabled={!!jobId || !count || count.count === 0}
          data-testid="export-start"
        >
          {t('export.start', { count: count?.count ?? 0, shown })}
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
