import { Alert, Button, Card, Code, FileInput, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { Job } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { downloadFile, downloadJobFile, JobProgress } from '@/components/job-progress';
import { formatTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';
import { ListTable } from '@/components/list-table';

import { ImportPreview } from './import-preview';
import { sourceChannelValues } from '@/api/schema';

// A third-party list needs its supplier and legal basis per file, which this form does not ask.
const SOURCES = sourceChannelValues.filter((s) => s !== 'third_party');
type SourceChannel = (typeof SOURCES)[number];

type ImportResult = {
  rows: number;
  created: number;
  existing: number;
  rejected: number;
  errors: { line: number; field: string; code: string; message: string }[];
};

function Figure({ id, label, value, color }: { id: string; label: string; value: number; color?: string }) {
  return (
    <Card withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} c={color} data-testid={`import-${id}`}>
        {value}
      </Text>
    </Card>
  );
}

function ImportOutcome({ job }: { job: Job }) {
  const { t } = useTranslation();
  const r = job.result as unknown as ImportResult;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={4} data-testid="import-summary">
        <Figure id="rows" label={t('import.rows')} value={r.rows} />
        <Figure id="created" label={t('import.created')} value={r.created} color="green" />
        <Figure id="existing" label={t('import.existing')} value={r.existing} color="gray" />
        <Figure id="rejected" label={t('import.rejected')} value={r.rejected} color={r.rejected ? 'red' : undefined} />
      </SimpleGrid>
      {r.rejected > 0 && (
        <>
          <Group justify="space-between">
            <Text fw={600}>{t('import.errorsTitle')}</Text>
            <Button variant="light" size="xs" onClick={() => void downloadJobFile(job.id, 'errors.csv')}>
              {t('import.downloadErrors')}
            </Button>
          </Group>
          <ListTable striped data-testid="import-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('import.line')}</Table.Th>
                <Table.Th>{t('import.field')}</Table.Th>
                <Table.Th>{t('import.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.errors.map((e, i) => (
                <Table.Tr key={`${e.line}-${e.field}-${i}`}>
                  <Table.Td>{e.line}</Table.Td>
                  <Table.Td>
                    <Code>{e.field}</Code>
                  </Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ListTable>
        </>
      )}
    </Stack>
  );
}

export function ImportPage() {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState<SourceChannel | null>('sales');
  const [jobId, setJobId] = useState<string | null>(null);
  // The preview decides whether the file can go and what each column is: every column known or
  // skipped, one of them the name, readable bytes.
  const [mapping, setMapping] = useState<string[] | null>(null);
  const history = useCursorList(['jobs', 'customers.import', jobId], async (cursor) =>
    unwrap(await api.GET('/api/v1/jobs', { params: { query: { kind: 'customers.import', limit: 20, cursor } } })),
  );
  const start = useMutation({
    mutationFn: async () => {
      if (!file) throw new Error('no file');
      return unwrap(
        await api.POST('/api/v1/customers/imports', {
          params: { query: { file_name: file.name, source_channel: source ?? undefined, columns: mapping?.join(',') } },
          // The bytes as saved: the server reads UTF-8 and GBK alike (decoding here would garble GBK).
          body: file as never,
          bodySerializer: (b: unknown) => b as Blob,
          headers: { 'Content-Type': 'text/csv' },
        }),
      );
    },
    onSuccess: (job) => setJobId(job.id),
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('import.title')}
      </Title>
      <Alert color="blue">
        <Text size="sm">{t('import.help')}</Text>
        <Button
          variant="white"
          size="xs"
          mt="xs"
          data-testid="import-template"
          onClick={() => void downloadFile('/api/v1/customers/imports/template', t('import.templateFile'))}
        >
          {t('import.template')}
        </Button>
      </Alert>
      <Card withBorder>
        <Group align="end">
          <FileInput
            label={t('import.file')}
            placeholder="customers.csv"
            accept=".csv,text/csv"
            value={file}
            onChange={setFile}
            w={320}
            data-testid="import-file"
          />
          <Select
            label={t('import.defaultSource')}
            data={SOURCES.map((s) => ({ value: s, label: t(`enums.source.${s}`) }))}
            value={source}
            onChange={(v) => setSource(v as SourceChannel | null)}
            clearable
          />
          <Button
            onClick={() => start.mutate()}
            disabled={!file || !mapping}
            loading={start.isPending}
            data-testid="import-start"
          >
            {t('import.start')}
          </Button>
        </Group>
      </Card>
      {file && !jobId && <ImportPreview file={file} onMapping={setMapping} />}
      <ProblemAlert error={start.error} />
      {jobId && (
        <Card withBorder>
          <JobProgress id={jobId}>{(j) => <ImportOutcome job={j} />}</JobProgress>
        </Card>
      )}
      <Title order={4}>{t('import.history')}</Title>
      <ListTable striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('import.started')}</Table.Th>
            <Table.Th>{t('import.file')}</Table.Th>
            <Table.Th>{t('import.rows')}</Table.Th>
            <Table.Th>{t('import.rejected')}</Table.Th>
            <Table.Th>{t('jobs.statusLabel')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.items.map((j) => {
            const r = j.result as unknown as (ImportResult & { file_name?: string }) | null;
            return (
              <Table.Tr key={j.id} style={{ cursor: 'pointer' }} onClick={() => setJobId(j.id)}>
                <Table.Td>{formatTime(j.created_at, i18n.language)}</Table.Td>
                <Table.Td>{r?.file_name ?? '—'}</Table.Td>
                <Table.Td>{j.total ?? '—'}</Table.Td>
                <Table.Td>{j.errors}</Table.Td>
                <Table.Td>{t(`jobs.status.${j.status}`)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </ListTable>
    </Stack>
  );
}
