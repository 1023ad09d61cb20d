import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';

export type CareRule = components['schemas']['CareRule'];
export type CareRuleInput = components['schemas']['CareRuleInput'];
export type CareKind = components['schemas']['CareKind'];
export type CareDay = components['schemas']['CareDay'];

export const KINDS = ['birthday', 'holiday', 'renewal', 'tip'] satisfies CareKind[];

const keys = { all: ['care'] as const };

export function useCareRules() {
  return useQuery({
    queryKey: [...keys.all, 'rules'],
    queryFn: async () => unwrap(await api.GET('/api/v1/care-rules')),
  });
}

export function useCalendar(days: number) {
  return useQuery({
    queryKey: [...keys.all, 'calendar', days],
    queryFn: async () => unwrap(await api.GET('/api/v1/care/calendar', { params: { query: { days } } })),
  });
}

export function useCreateRule(onSaved: () => void) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'care.saved' },
    mutationFn: async (body: CareRuleInput) => unwrap(await api.POST('/api/v1/care-rules', { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.all });
      onSaved();
    },
  });
}

export function useSwitchRule() {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'care.switched' },
    mutationFn: async ({ id, on }: { id: string; on: boolean }) => {
      const path = { params: { path: { id } } };
      return on
        ? unwrap(await api.POST('/api/v1/care-rules/{id}/activate', path))
        : unwrap(await api.POST('/api/v1/care-rules/{id}/deactivate', path));
    },
    onSuccess: () => client.invalidateQueries({ queryKey: keys.all }),
  });
}

/** When a rule acts, in words: its kind with its day or days. */
export function whenOf(rule: Pick<CareRule, 'kind' | 'days' | 'month_day'>): {
  key: string;
  values: Record<string, string | number>;
} {
  switch (rule.kind) {
    case 'birthday':
      return { key: 'care.when.birthday', values: {} };
    case 'holiday':
      return { key: 'care.when.holiday', values: { day: rule.month_day ?? '' } };
    case 'renewal':
      return { key: 'care.when.renewal', values: { days: rule.days } };
    case 'tip':
      return { key: 'care.when.tip', values: { days: rule.days } };
  }
}

/** The calendar's entries grouped by day, in date order. */
export function byDay(days: CareDay[]): [string, CareDay[]][] {
  const out = new Map<string, CareDay[]>();
  for (const d of days) out.set(d.date, [...(out.get(d.date) ?? []), d]);
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
}
