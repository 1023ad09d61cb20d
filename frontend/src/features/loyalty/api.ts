import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/api/client';
import { ifMatch } from '@/api/etag';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';

export type Reward = components['schemas']['Reward'];
export type RewardInput = components['schemas']['RewardInput'];
export type RewardKind = components['schemas']['RewardKind'];
export type LedgerEntry = components['schemas']['LedgerEntry'];

export const REWARD_KINDS = ['gift', 'coupon', 'service'] satisfies RewardKind[];

const keys = { points: (id: string) => ['points', id] as const, rewards: ['rewards'] as const };

export function usePoints(customerId: string) {
  return useQuery({
    queryKey: keys.points(customerId),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/customers/{id}/points', { params: { path: { id: customerId }, query: { limit: 50 } } })),
  });
}

export function useRewards() {
  return useQuery({ queryKey: keys.rewards, queryFn: async () => unwrap(await api.GET('/api/v1/rewards')) });
}

export function useRedeem(customerId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'loyalty.redeemed' },
    mutationFn: async ({ reward_id, quantity }: { reward_id: string; quantity: number }) =>
      unwrap(
        await api.POST('/api/v1/customers/{id}/points/redemptions', {
          params: { path: { id: customerId } },
          body: { reward_id, quantity },
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.points(customerId) });
      void client.invalidateQueries({ queryKey: keys.rewards });
    },
  });
}

export function useSaveReward(onSaved: () => void) {
  const client = useQueryClient();
  return useMutation({
    meta: { toast: 'loyalty.saved' },
    mutationFn: async ({ id, version, body }: { id?: string; version?: number; body: RewardInput }) =>
      id && version
        ? unwrap(await api.PUT('/api/v1/rewards/{id}', { params: { path: { id }, header: ifMatch(version) }, body }))
        : unwrap(await api.POST('/api/v1/rewards', { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.rewards });
      onSaved();
    },
  });
}

/** The rewards a customer with `balance` points can take now: active, in stock, affordable. */
export function redeemable(rewards: Reward[], balance: number): Reward[] {
  return rewards.filter((r) => r.active && (r.stock == null || r.stock > 0) && r.points <= balance);
}
