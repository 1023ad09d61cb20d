import { useQuery } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';

/** The active staff the user sees (successors on offboarding, assignees of a ticket), as one
 * page under one key. Needs `users:read`; `enabled` is false for those without it. */
export function useColleagues(enabled = true) {
  return useQuery({
    queryKey: ['users', 'colleagues'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 500, active: true } } })),
    enabled,
  });
}
