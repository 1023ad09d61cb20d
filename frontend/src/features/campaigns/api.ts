import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/api/client';
import { ifMatch } from '@/api/etag';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';

export type Campaign = components['schemas']['Campaign'];
export type CampaignInput = components['schemas']['CampaignInput'];
export type CampaignState = components['schemas']['CampaignState'];
export type CampaignReport = components['schemas']['CampaignReport'];
export type Channel = components['schemas']['MarketingChannel'];

export const CHANNELS = ['sms', 'email', 'push', 'phone'] satisfies Channel[];
export type Action = 'submit' | 'approve' | 'reject' | 'cancel';

const keys = { all: ['campaigns'] as const };

export function useCampaigns() {
  return useQuery({
    queryKey: [...keys.all, 'list'],
    queryFn: async () => unwrap(await api.GET('/api/v1/campaigns', { params: { query: { limit: 100 } } })).items,
  });
}

export function useCampaign(id: string) {
  return useQuery({
    queryKey: [...keys.all, 'one', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/campaigns/{id}', { params: { path: { id } } })),
  });
}

/** Where the audience stands; refreshed while the campaign runs. */
export function useReport(id: string, live: boolean) {
  return useQuery({
    queryKey: [...keys.all, 'report', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/campaigns/{id}/report', { params: { path: { id } } })),
    refetchInterval: live ? 15_000 : false,
  });
}

export function useSaveCampaign(onSaved: (c: Campaign) => void) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'campaigns.saved' },
    mutationFn: async ({ id, version, body }: { id?: string; version?: number; body: CampaignInput }) =>
      id && version
        ? unwrap(await api.PUT('/api/v1/campaigns/{id}', { params: { path: { id }, header: ifMatch(version) }, body }))
        : unwrap(await api.POST('/api/v1/campaigns', { body })),
    onSuccess: (c) => {
      void client.invalidateQueries({ queryKey: keys.all });
      onSaved(c);
    },
  });
}

export function useAct(id: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'campaigns.done' },
    mutationFn: async ({ action, note }: { action: Action; note?: string }) => {
      const path = { params: { path: { id } } };
      switch (action) {
        case 'submit':
          return unwrap(await api.POST('/api/v1/campaigns/{id}/submit', path));
        case 'cancel':
          return unwrap(await api.POST('/api/v1/campaigns/{id}/cancel', path));
        case 'approve':
          return unwrap(await api.POST('/api/v1/campaigns/{id}/approve', { ...path, body: { note } }));
        case 'reject':
          return unwrap(await api.POST('/api/v1/campaigns/{id}/reject', { ...path, body: { note } }));
      }
    },
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

/** The actions a campaign in `state` offers someone with these permissions. */
export function actionsFor(state: CampaignState, manages: boolean, approves: boolean): Action[] {
  const out: Action[] = [];
  if (manages && state === 'draft') out.push('submit');
  if (approves && state === 'pending_approval') out.push('approve', 'reject');
  if (manages && ['draft', 'pending_approval', 'scheduled', 'running'].includes(state)) out.push('cancel');
  return out;
}
