import { describe, expect, it } from 'vitest';

import { monthlySpend } from './customer-records';

describe('monthlySpend', () => {
  it('fills the months without a purchase with 0, across a year end', () => {
    const out = monthlySpend([
      { amount_fen: 19950, purchased_at: '2026-01-05T10:00:00Z' },
      { amount_fen: 100, purchased_at: '2025-11-30T10:00:00Z' },
      { amount_fen: 50, purchased_at: '2026-01-20T10:00:00Z' },
    ]);
    expect(out).toEqual([
      { month: '2025-11', total: 1 },
      { month: '2025-12', total: 0 },
      { month: '2026-01', total: 200 },
    ]);
  });

  it('keeps the latest 24 months and nothing for no purchases', () => {
    expect(monthlySpend([])).toEqual([]);
    const out = monthlySpend([
      { amount_fen: 100, purchased_at: '2020-01-01T00:00:00Z' },
      { amount_fen: 100, purchased_at: '2026-06-01T00:00:00Z' },
    ]);
    expect(out).toHaveLength(24);
    expect(out[23]).toEqual({ month: '2026-06', total: 1 });
    expect(out[0]!.month).toBe('2024-07');
  });
});
