import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';

export type ChurnWarning = components['schemas']['ChurnWarning'];
export type NewAction = components['schemas']['NewAction'];

export const ACTIONS = ['call', 'visit', 'message', 'offer', 'other'] satisfies components['schemas']['WinbackKind'][];
export const OUTCOMES = [
  'planned',
  'reached',
  'won_back',
  'declined',
  'unreachable',
] satisfies components['schemas']['WinbackOutcome'][];

const keys = { all: ['churn'] as const };

export function useWarnings(status: 'open' | 'closed', ownerId: string | undefined) {
  return useQuery({
    queryKey: [...keys.all, status, ownerId ?? 'all'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/churn-warnings', { params: { query: { status, owner_id: ownerId, limit: 100 } } })),
  });
}

export function useRecordAction(warningId: string, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'churn.recorded' },
    mutationFn: async (body: NewAction) =>
      unwrap(await api.POST('/api/v1/churn-warnings/{id}/actions', { params: { path: { id: warningId } }, body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.all });
      onDone();
    },
  });
}
