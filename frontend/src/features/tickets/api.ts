import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';
import { useCursorList } from '@/lib/use-cursor-list';

export type Ticket = components['schemas']['Ticket'];
export type TicketDetail = components['schemas']['TicketDetail'];
export type TicketStatus = components['schemas']['TicketStatus'];
export type TicketKind = components['schemas']['TicketKind'];
export type Channel = components['schemas']['Channel'];
export type Priority = components['schemas']['Priority'];
export type Queue = components['schemas']['Queue'];
export type NewTicket = components['schemas']['NewTicket'];
export type Transition = components['schemas']['Transition'];

export const QUEUES = ['mine', 'unit', 'unassigned', 'breaching', 'overdue', 'revisits', 'all'] satisfies Queue[];
export const KINDS = ['complaint', 'inquiry', 'repair', 'installation', 'revisit', 'other'] satisfies TicketKind[];
export const CHANNELS = ['hotline', 'website', 'email', 'social', 'chat', 'in_person', 'app'] satisfies Channel[];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] satisfies Priority[];
export const STATUSES = [
  'new',
  'investigating',
  'assigned',
  'resolving',
  'awaiting_feedback',
  'reopened',
  'closed',
  'cancelled',
] satisfies TicketStatus[];

/** What a queue can be narrowed to (SVC-1: by status, type, priority, channel). */
export type TicketFilters = { status?: TicketStatus; kind?: TicketKind; priority?: Priority; channel?: Channel };

const keys = { all: ['tickets'] as const, notifications: ['notifications'] as const };

export function useTickets(queue: Queue, customerId?: string) {
  return useQuery({
    queryKey: [...keys.all, 'list', queue, customerId ?? ''],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/tickets', { params: { query: { queue, customer_id: customerId, limit: 100 } } })),
    placeholderData: keepPreviousData,
    // A queue is live: fresh when opened and every 15 seconds, like its counts.
    staleTime: 0,
    refetchInterval: 15_000,
  });
}

/** A queue narrowed by `filters`, newest first, a page at a time (keyset). */
export function useQueue(queue: Queue, filters: TicketFilters) {
  return useCursorList([...keys.all, 'queue', queue, filters], async (cursor) =>
    unwrap(await api.GET('/api/v1/tickets', { params: { query: { queue, ...filters, limit: 50, cursor } } })),
  );
}

/** Queue sizes, refreshed every 15 seconds while the page is open. */
export function useQueueCounts() {
  return useQuery({
    queryKey: [...keys.all, 'counts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/counts')),
    refetchInterval: 15_000,
  });
}

export function useTicket(id: string) {
  return useQuery({
    queryKey: [...keys.all, 'one', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/{id}', { params: { path: { id } } })),
  });
}

export function useCreateTicket(onDone: (t: TicketDetail) => void) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'tickets.created' },
    mutationFn: async (body: NewTicket) => unwrap(await api.POST('/api/v1/tickets', { body })),
    onSuccess: (t) => {
      void client.invalidateQueries({ queryKey: keys.all });
      onDone(t);
    },
  });
}

export function useTransition(id: string, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'tickets.moved' },
    mutationFn: async (body: Transition) =>
      unwrap(await api.POST('/api/v1/tickets/{id}/transitions', { params: { path: { id } }, body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.all });
      onDone();
    },
  });
}

export function useComment(id: string, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'tickets.commented' },
    mutationFn: async (body: { body: string; public: boolean }) =>
      unwrap(await api.POST('/api/v1/tickets/{id}/comments', { params: { path: { id } }, body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.all });
      onDone();
    },
  });
}

/** Attaches a file to a ticket: the bytes as they are (the server reads their type). */
export function useAttach(id: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'tickets.attached' },
    mutationFn: async ({ file, shown }: { file: File; shown: boolean }) =>
      unwrap(
        await api.POST('/api/v1/tickets/{id}/attachments', {
          params: { path: { id }, query: { file_name: file.name, public: shown } },
          body: file as never,
          bodySerializer: (b: unknown) => b as Blob,
          headers: { 'Content-Type': 'application/octet-stream' },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.all }),
  });
}

/** The bell: my newest notifications and the unread count, refreshed every 30 seconds. */
export function useNotifications(enabled: boolean) {
  return useQuery({
    queryKey: keys.notifications,
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications', { params: { query: { limit: 20 } } })),
    refetchInterval: 30_000,
    enabled,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/notifications/read', { body: {} })),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.notifications }),
  });
}
