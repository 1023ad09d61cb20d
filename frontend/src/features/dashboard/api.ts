// What the home page reads, one hook per worklist; query keys from one factory so a save
// elsewhere can refresh them.
import { useQuery } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';

export const dashboardKeys = {
  all: ['dashboard'] as const,
  myCustomers: (owner: string) => [...dashboardKeys.all, 'my-customers', owner] as const,
  requestsDue: () => [...dashboardKeys.all, 'requests-due'] as const,
  openIncidents: () => [...dashboardKeys.all, 'incidents'] as const,
  auditChain: () => [...dashboardKeys.all, 'audit-chain'] as const,
  units: () => [...dashboardKeys.all, 'units'] as const,
  users: () => [...dashboardKeys.all, 'users'] as const,
  grants: () => [...dashboardKeys.all, 'grants'] as const,
};

const SHOWN = 6;

/** Customers the user looks after, newest first. */
export function useMyCustomers(owner: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: dashboardKeys.myCustomers(owner ?? ''),
    enabled: enabled && !!owner,
    queryFn: async () => unwrap(await api.GET('/api/v1/customers', { params: { query: { owner_id: owner, limit: SHOWN } } })),
  });
}

/** Open data-subject requests, the ones past due counted apart. */
export function useRequestsDue(enabled: boolean) {
  return useQuery({
    queryKey: dashboardKeys.requestsDue(),
    enabled,
    queryFn: async () => {
      const open = unwrap(await api.GET('/api/v1/privacy-requests', { params: { query: { status: 'open', limit: 100 } } }));
      const items = [...open.items].sort((a, b) => a.due_at.localeCompare(b.due_at));
      return {
        items: items.slice(0, SHOWN),
        open: items.length,
        more: !!open.next_cursor,
        overdue: items.filter((r) => r.overdue).length,
      };
    },
  });
}

export function useOpenIncidents(enabled: boolean) {
  return useQuery({
    queryKey: dashboardKeys.openIncidents(),
    enabled,
    queryFn: async () => {
      const list = unwrap(await api.GET('/api/v1/incidents', { params: { query: { limit: 100 } } }));
      return list.items.filter((i) => i.status !== 'closed').slice(0, SHOWN);
    },
  });
}

export function useAuditChain(enabled: boolean) {
  return useQuery({
    queryKey: dashboardKeys.auditChain(),
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/v1/audit/verify')),
  });
}

export function useUnitCount(enabled: boolean) {
  return useQuery({
    queryKey: dashboardKeys.units(),
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/v1/units', { params: { query: { limit: 500 } } })),
  });
}

export function useUserCount(enabled: boolean) {
  return useQuery({
    queryKey: dashboardKeys.users(),
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 500 } } })),
  });
}

export function usePendingGrants(enabled: boolean) {
  return useQuery({
    queryKey: dashboardKeys.grants(),
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/v1/user-grants')),
  });
}
