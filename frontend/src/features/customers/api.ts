// Customer queries shared by the list, the export dialog and the pages that follow them.
import { useQuery } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';

/** The list's filters as the address holds them ('' when unset). */
export type ListFilters = { q: string; tag: string; tier: string; lifecycle: string };

export const asTier = (t: string) => (['A', 'B', 'C', 'D'].includes(t) ? (t as 'A' | 'B' | 'C' | 'D') : undefined);

export const LIFECYCLES = ['active', 'potential', 'dormant', 'churn_risk'] satisfies components['schemas']['Lifecycle'][];
export const asLifecycle = (v: string) => LIFECYCLES.find((l) => l === v);

/** The list filters as the API's query parameters. */
export const filterQuery = (f: ListFilters) => ({
  q: f.q || undefined,
  tag: f.tag || undefined,
  tier: asTier(f.tier),
  lifecycle: asLifecycle(f.lifecycle),
});

export const customerKeys = {
  all: ['customers'] as const,
  list: (f: ListFilters) => [...customerKeys.all, f] as const,
  count: (f: ListFilters) => [...customerKeys.all, 'count', f] as const,
};

/** How many customers the filters select: exact up to 10,000, "10,000+" beyond. */
export function useCustomerCount(filters: ListFilters, enabled = true) {
  return useQuery({
    queryKey: customerKeys.count(filters),
    enabled,
    // Imports and merges change it behind the list's back: read it afresh each time it is shown.
    staleTime: 0,
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/customers/count', {
          params: { query: filterQuery(filters) },
        }),
      ),
  });
}

/** A count as people read it: 1,234 or 10,000+ (in the UI's number format). */
export function countText(c: { count: number; exact: boolean }, lang: string): string {
  const n = new Intl.NumberFormat(lang).format(c.count);
  return c.exact ? n : `${n}+`;
}
