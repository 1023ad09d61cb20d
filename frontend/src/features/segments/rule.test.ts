import { describe, expect, it } from 'vitest';

import { comparison, fromJson, toJson, type Group } from './rule';

describe('segment rules', () => {
  it('round-trip between the editor and the API, with negation as `not`', () => {
    const tree: Group = {
      kind: 'group',
      join: 'all',
      negate: false,
      items: [
        { ...comparison('tier'), value: ['A', 'B'] },
        { kind: 'group', join: 'any', negate: true, items: [{ ...comparison('tag'), value: 'vip' }] },
        { ...comparison('spent_fen'), op: 'gt', value: 500000 },
      ],
    };
    const json = toJson(tree);
    expect(json).toEqual({
      all: [
        { field: 'tier', op: 'in', value: ['A', 'B'] },
        { not: { any: [{ field: 'tag', op: 'eq', value: 'vip' }] } },
        { field: 'spent_fen', op: 'gt', value: 500000, days: 90 },
      ],
    });
    expect(toJson(fromJson(json))).toEqual(json);
  });

  it('is not sent while a value is missing', () => {
    expect(toJson({ kind: 'group', join: 'all', negate: false, items: [comparison('tag')] })).toBeNull();
    expect(toJson({ kind: 'group', join: 'all', negate: false, items: [] })).toBeNull();
  });
});
