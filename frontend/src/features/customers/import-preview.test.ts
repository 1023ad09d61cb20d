import { describe, expect, it } from 'vitest';

import { columnOf, decodeSheet } from './import-preview';

describe('decodeSheet', () => {
  it('reads UTF-8 with or without a BOM, and GBK as Excel writes it on Chinese Windows', () => {
    const utf8 = new TextEncoder().encode('姓名,手机号\n张三,13800138000\n');
    expect(decodeSheet(utf8.buffer as ArrayBuffer)).toEqual({ text: '姓名,手机号\n张三,13800138000\n', encoding: 'UTF-8' });
    // 张三 in GBK: D5 C5 C8 FD.
    const gbk = new Uint8Array([0xd5, 0xc5, 0xc8, 0xfd, 0x0a]);
    expect(decodeSheet(gbk.buffer)).toEqual({ text: '张三\n', encoding: 'GBK' });
  });

  it('refuses bytes that are neither', () => {
    expect(decodeSheet(new Uint8Array([0x6e, 0x0a, 0x81, 0x20]).buffer)).toBeNull();
  });
});

describe('columnOf', () => {
  const known = [
    { code: 'name', zh: '姓名', en: 'name' },
    { code: 'birth_date', zh: '出生日期', en: 'birth date' },
  ];
  it('knows a column by its code or its header in either language, as the server does', () => {
    expect(columnOf('\uFEFF姓名', known)).toBe('name');
    expect(columnOf(' Birth Date ', known)).toBe('birth_date');
    expect(columnOf('birth_date', known)).toBe('birth_date');
    expect(columnOf('客户名称', known)).toBeNull();
  });
});
