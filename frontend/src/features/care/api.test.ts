import { describe, expect, it } from 'vitest';

import { byDay, whenOf, type CareDay } from './api';

describe('care', () => {
  it('says when each kind of rule acts', () => {
    expect(whenOf({ kind: 'holiday', days: 0, month_day: '10-01' })).toEqual({
      key: 'care.when.holiday',
      values: { day: '10-01' },
    });
    expect(whenOf({ kind: 'renewal', days: 7, month_day: null })).toEqual({ key: 'care.when.renewal', values: { days: 7 } });
  });

  it('groups the calendar by day in date order', () => {
    const day = (date: string, rule_id: string): CareDay => ({ date, rule_id, rule_name: rule_id, kind: 'tip', customers: 1 });
    const grouped = byDay([day('2026-03-03', 'b'), day('2026-03-02', 'a'), day('2026-03-03', 'c')]);
    expect(grouped.map(([d, rules]) => [d, rules.map((r) => r.rule_id)])).toEqual([
      ['2026-03-02', ['a']],
      ['2026-03-03', ['b', 'c']],
    ]);
  });
});
