export function formatTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** An amount in fen as yuan in the language's currency format (¥1,234.50). */
export function formatYuan(fen: number, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY' }).format(fen / 100);
}

/** A share (0.125) as a percentage in the language's format (12.5%); signed for differences. */
export function formatPercent(share: number, lang: string, signed = false): string {
  return new Intl.NumberFormat(lang, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(share);
}
