export function formatTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** An amount in fen as yuan in the language's currency format (¥1,234.50). */
export function formatYuan(fen: number, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY' }).format(fen / 100);
}
