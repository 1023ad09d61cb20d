import { describe, expect, it } from 'vitest';

import { actionsFor } from './api';

describe('actionsFor', () => {
  it('offers each role only the legal next steps', () => {
    expect(actionsFor('draft', true, false)).toEqual(['submit', 'cancel']);
    expect(actionsFor('pending_approval', false, true)).toEqual(['approve', 'reject']);
    expect(actionsFor('pending_approval', true, true)).toEqual(['approve', 'reject', 'cancel']);
    expect(actionsFor('completed', true, true)).toEqual([]);
    expect(actionsFor('running', false, false)).toEqual([]);
  });
});
