import { useQuery } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';

/** Every unit the user sees (a group has tens, not thousands), as one page; shared under one
 * query key by every screen that names units. */
export function useAllUnits() {
  return useQuery({
    queryKey: ['units', 'all'],
    queryFn: async () => unwrap(await api.GET('/api/v1/units', { params: { query: { limit: 500 } } })),
  });
}
