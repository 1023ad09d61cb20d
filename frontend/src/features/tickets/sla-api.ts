import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';

export type SlaPolicy = components['schemas']['SlaPolicy'];
export type SlaSettings = components['schemas']['SlaSettings'];
export type CalendarDay = components['schemas']['CalendarDay'];

const keys = { policies: ['sla', 'policies'] as const, settings: ['sla', 'settings'] as const };

export function useSlaPolicies() {
  return useQuery({ queryKey: keys.policies, queryFn: async () => unwrap(await api.GET('/api/v1/sla/policies')) });
}

export function useSaveSlaPolicies() {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'sla.saved' },
    mutationFn: async (policies: SlaPolicy[]) => unwrap(await api.PUT('/api/v1/sla/policies', { body: { policies } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.policies }),
  });
}

export function useSlaSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: async () => unwrap(await api.GET('/api/v1/sla/settings')) });
}

export function useSaveSlaSettings() {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'sla.saved' },
    mutationFn: async (body: SlaSettings) => unwrap(await api.PUT('/api/v1/sla/settings', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.settings }),
  });
}

export function useCalendar(year: number) {
  return useQuery({
    queryKey: ['sla', 'calendar', year],
    queryFn: async () => unwrap(await api.GET('/api/v1/sla/calendar/{year}', { params: { path: { year } } })),
  });
}

export function useSaveCalendar(year: number) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'sla.saved' },
    mutationFn: async (days: CalendarDay[]) =>
      unwrap(await api.PUT('/api/v1/sla/calendar/{year}', { params: { path: { year } }, body: { days } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['sla', 'calendar', year] }),
  });
}
