import { useQuery } from '@tanstack/react-query';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { Me } from '@/api/types';

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: async (): Promise<Me> => unwrap(await api.GET('/api/v1/me')) });
}

export function can(me: Me | undefined, permission: string): boolean {
  return me?.permissions.includes(permission) ?? false;
}
