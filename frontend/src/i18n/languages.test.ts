import { describe, expect, it } from 'vitest';

import en from './en.json';
import zhCN from './zh-CN.json';

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('UI languages', () => {
  it('have the same keys: every text a user reads exists in zh-CN and English', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });
});
