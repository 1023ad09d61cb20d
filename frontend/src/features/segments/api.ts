import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/api/client';
import { ifMatch } from '@/api/etag';
import { unwrap } from '@/api/problem';

import type { SegmentRule } from './rule';

export const segmentKeys = {
  all: ['segments'] as const,
  list: () => [...segmentKeys.all, 'list'] as const,
  preview: (rule: SegmentRule | null) => [...segmentKeys.all, 'preview', JSON.stringify(rule)] as const,
  members: (id: string) => [...segmentKeys.all, 'members', id] as const,
};

export function useSegments() {
  return useQuery({
    queryKey: segmentKeys.list(),
    queryFn: async () => unwrap(await api.GET('/api/v1/segments', { params: { query: { limit: 100 } } })).items,
  });
}

/** How many customers the rule selects now (within what the user sees). */
export function usePreviewCount(rule: SegmentRule | null) {
  return useQuery({
    queryKey: segmentKeys.preview(rule),
    enabled: rule !== null,
    queryFn: async () => unwrap(await api.POST('/api/v1/segments/preview', { body: { rule: rule as SegmentRule } })),
  });
}

export function useSaveSegment(onSaved: (id: string) => void) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'segments.saved' },
    mutationFn: async (s: { id?: string; version?: number; name: string; rule: SegmentRule }) => {
      const body = { name: s.name, rule: s.rule };
      return s.id && s.version
        ? unwrap(
            await api.PUT('/api/v1/segments/{id}', {
              params: { path: { id: s.id }, header: ifMatch(s.version) },
              body,
            }),
          )
        : unwrap(await api.POST('/api/v1/segments', { body }));
    },
    onSuccess: (segment) => {
      void client.invalidateQueries({ queryKey: segmentKeys.all });
      onSaved(segment.id);
    },
  });
}

export function useMembers(id: string | null) {
  return useQuery({
    queryKey: segmentKeys.members(id ?? ''),
    enabled: !!id,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/segments/{id}/members', { params: { path: { id: id ?? '' }, query: { limit: 50 } } })),
  });
}

export function useSnapshots(id: string | null) {
  return useQuery({
    queryKey: [...segmentKeys.all, 'snapshots', id ?? ''],
    enabled: !!id,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/segments/{id}/snapshots', { params: { path: { id: id ?? '' }, query: { limit: 20 } } }))
        .items,
  });
}

export function useTakeSnapshot(id: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'segments.snapshotTaken' },
    mutationFn: async () => unwrap(await api.POST('/api/v1/segments/{id}/snapshots', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: [...segmentKeys.all, 'snapshots', id] }),
  });
}

export function useExportSegment(id: string) {
  return useMutation({
    meta: { toast: false },
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/segments/{id}/exports', { params: { path: { id } }, body: { format: 'csv' } })),
  });
}
