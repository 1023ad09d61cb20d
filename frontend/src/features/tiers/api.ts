import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/api/client';
import { ifMatch } from '@/api/etag';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';

export type TierSettings = components['schemas']['TierSettings'];
export type TierRun = components['schemas']['TierRun'];

export const TIERS = ['A', 'B', 'C', 'D'] as const;

export const tierKeys = {
  all: ['tiers'] as const,
  config: () => [...tierKeys.all, 'config'] as const,
  runs: () => [...tierKeys.all, 'runs'] as const,
  customer: (id: string) => [...tierKeys.all, 'customer', id] as const,
};

export function useTierConfig() {
  return useQuery({ queryKey: tierKeys.config(), queryFn: async () => unwrap(await api.GET('/api/v1/tiers/config')) });
}

export function useSaveTierConfig() {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'tiers.saved' },
    mutationFn: async ({ version, settings }: { version: number; settings: TierSettings }) =>
      unwrap(await api.PUT('/api/v1/tiers/config', { body: settings, params: { header: ifMatch(version) } })),
    onSuccess: () => client.invalidateQueries({ queryKey: tierKeys.config() }),
  });
}

export function useTierRuns() {
  return useQuery({
    queryKey: tierKeys.runs(),
    queryFn: async () => unwrap(await api.GET('/api/v1/tiers/runs', { params: { query: { limit: 20 } } })).items,
  });
}

export function useStartTierRun(onStarted: (jobId: string) => void) {
  return useMutation({
    // The run's progress is on the screen.
    meta: { toast: false },
    mutationFn: async (dryRun: boolean) => unwrap(await api.POST('/api/v1/tiers/runs', { body: { dry_run: dryRun } })),
    onSuccess: (job) => onStarted(job.id),
  });
}

export function useCustomerTier(customerId: string) {
  return useQuery({
    queryKey: tierKeys.customer(customerId),
    queryFn: async () => unwrap(await api.GET('/api/v1/customers/{id}/tier', { params: { path: { id: customerId } } })),
  });
}

/** A score (0..1,000,000) or a percentile (basis points) as a percent. */
export const percentOf = (value: number, scale: number) => `${((value / scale) * 100).toFixed(1)}%`;

export type CustomerTier = components['schemas']['CustomerTier'];
export type ClassStrategy = components['schemas']['ClassStrategy'];
export type Strategy = components['schemas']['Strategy'];

export function useSetOverride(customerId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'tiers.overrideSaved' },
    mutationFn: async (body: components['schemas']['SetOverride']) =>
      unwrap(await api.PUT('/api/v1/customers/{id}/tier/override', { params: { path: { id: customerId } }, body })),
    onSuccess: (v) => client.setQueryData(tierKeys.customer(customerId), v),
  });
}

export function useEndOverride(customerId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'tiers.overrideEnded' },
    mutationFn: async () =>
      unwrap(await api.DELETE('/api/v1/customers/{id}/tier/override', { params: { path: { id: customerId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: tierKeys.customer(customerId) }),
  });
}

export function useStrategies() {
  return useQuery({
    queryKey: [...tierKeys.all, 'strategies'],
    queryFn: async () => unwrap(await api.GET('/api/v1/service-strategies')),
  });
}

export function useSetStrategy() {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'tiers.strategySaved' },
    mutationFn: async ({ cls, strategy }: { cls: string; strategy: Strategy }) =>
      unwrap(await api.PUT('/api/v1/service-strategies/{class}', { params: { path: { class: cls } }, body: strategy })),
    onSuccess: () => client.invalidateQueries({ queryKey: [...tierKeys.all, 'strategies'] }),
  });
}
