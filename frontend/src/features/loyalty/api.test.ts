import { describe, expect, it } from 'vitest';

import { redeemable, type Reward } from './api';

const reward = (id: string, points: number, stock: number | null, active = true): Reward => ({
  id,
  unit_id: 'g',
  name: id,
  kind: 'gift',
  points,
  stock,
  active,
  version: 1,
});

describe('redeemable', () => {
  it('offers only active rewards in stock that the balance pays for', () => {
    const all = [
      reward('cup', 800, 5),
      reward('bag', 300, 0),
      reward('visit', 3000, null),
      reward('old', 100, 9, false),
      reward('card', 1200, null),
    ];
    expect(redeemable(all, 1200).map((r) => r.id)).toEqual(['cup', 'card']);
    expect(redeemable(all, 100)).toEqual([]);
  });
});
