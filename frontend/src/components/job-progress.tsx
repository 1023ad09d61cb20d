import i18n from 'i18next';
import { Alert, Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { Job } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { getSession } from '@/lib/session';

const finished = (j?: Job) => !!j && (j.status === 'succeeded' || j.status === 'failed');

/** A job, polled twice a second until it has finished. */
export function useJob(id: string) {
  return useQuery({
    queryKey: ['jobs', id],
    queryFn: async (): Promise<Job> => unwrap(await api.GET('/api/v1/jobs/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (finished(q.state.data) ? false : 500),
  });
}

/** Progress bar, counts and status of a job; `children` renders its result once it succeeded. */
export function JobProgress({ id, children }: { id: string; children?: (job: Job) => ReactNode }) {
  const { t } = useTranslation();
  const job = useJob(id);
  const j = job.data;
  if (!j) return <ProblemAlert error={job.error} />;
  const total = j.total ?? 0;
  const percent = total > 0 ? (j.done / total) * 100 : j.status === 'succeeded' ? 100 : 0;
  return (
    <Stack gap={4} data-testid="job-progress">
      <Group justify="space-between">
        <Text size="sm">
          {t('jobs.progress', { done: j.done, total: j.total ?? '?' })}
          {j.errors > 0 ? ` · ${t('jobs.errors', { count: j.errors })}` : ''}
        </Text>
        <Badge data-testid="job-status" color={j.status === 'failed' ? 'red' : j.status === 'succeeded' ? 'green' : 'blue'}>
          {t(`jobs.status.${j.status}`)}
        </Badge>
      </Group>
      <Progress value={percent} animated={!finished(j)} aria-label={t('jobs.progressLabel')} />
      {j.status === 'succeeded' && children?.(j)}
      {j.error && <Alert color="red">{j.error}</Alert>}
    </Stack>
  );
}

/** Downloads a file a job wrote (the API answers only to the user who started the job). */
export async function downloadJobFile(jobId: string, name: string) {
  await downloadFile(`/api/v1/jobs/${encodeURIComponent(jobId)}/files/${encodeURIComponent(name)}`, name);
}

/** Saves what an API path answers as a file, with the caller's session and language. */
export async function downloadFile(path: string, name: string) {
  const res = await fetch(path, {
    headers: { Authorization: `Bearer ${getSession()?.accessToken ?? ''}`, 'Accept-Language': i18n.language },
  });
  if (!res.ok) throw new Error(`download failed: ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** Calls `onSeen` once, when first rendered — put inside `JobProgress`'s result to refresh what
 * the finished job changed. */
export function OnFinished({ onSeen, children }: { onSeen: () => void; children?: ReactNode }) {
  const seen = useRef(false);
  useEffect(() => {
    if (!seen.current) {
      seen.current = true;
      onSeen();
    }
  }, [onSeen]);
  return <>{children ?? null}</>;
}
