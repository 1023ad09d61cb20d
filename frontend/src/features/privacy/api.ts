// Data-subject requests: the queue, logging one, carrying one out.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';

export type RequestKind = components['schemas']['RequestKind'];
export type CopyDelivery = components['schemas']['CopyDelivery'];
export type CompleteBody = components['schemas']['CompleteRequest'];

export const requestKeys = {
  all: ['privacy-requests'] as const,
  queue: (overdue: boolean) => [...requestKeys.all, 'queue', overdue] as const,
  ofCustomer: (id: string) => [...requestKeys.all, 'customer', id] as const,
};

export function useRequestQueue(overdue: boolean) {
  return useQuery({
    queryKey: requestKeys.queue(overdue),
    queryFn: async () => unwrap(await api.GET('/api/v1/privacy-requests', { params: { query: { overdue, limit: 200 } } })),
  });
}

export function useCustomerRequests(customerId: string, enabled: boolean) {
  return useQuery({
    queryKey: requestKeys.ofCustomer(customerId),
    enabled,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/privacy-requests', { params: { query: { customer_id: customerId, limit: 50 } } })),
  });
}

export function useLogRequest() {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'privacy.logged' },
    mutationFn: async (body: { customer_id: string; kind: RequestKind; details?: string }) =>
      unwrap(await api.POST('/api/v1/privacy-requests', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: requestKeys.all }),
  });
}

export function useCompleteRequest() {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'privacy.completed' },
    mutationFn: async ({ id, body }: { id: string; body: CompleteBody }) =>
      unwrap(await api.POST('/api/v1/privacy-requests/{id}/complete', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: requestKeys.all }),
  });
}
