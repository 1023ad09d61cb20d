import { NumberInput, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { TierSettings } from './api';

/** Member levels, value bands and lifecycle, part of the tier settings: amounts in yuan (stored
 * in fen), counts, months and days. */
export function ClassSettings({ s, set, editable }: { s: TierSettings; set: (s: TierSettings) => void; editable: boolean }) {
  const { t } = useTranslation();
  const levels = s.levels ?? {
    gold: { spend_fen: 0, frequency: 0, tenure_months: 0 },
    silver: { spend_fen: 0, frequency: 0, tenure_months: 0 },
    grace_days: 0,
  };
  const bands = s.bands ?? { high_fen: 0, medium_fen: 0 };
  const life = s.lifecycle ?? { dormant_days: 180, churn_months: 6, churn_drop_percent: 50 };
  const num = (label: string, value: number, onChange: (n: number) => void, max: number, min = 0) => (
    <NumberInput
      label={label}
      value={value}
      min={min}
      max={max}
      hideControls
      disabled={!editable}
      onChange={(v) => onChange(typeof v === 'number' ? v : min)}
    />
  );
  const yuan = (fen: number) => fen / 100;
  const level = (name: 'gold' | 'silver') => {
    const rule = levels[name];
    const put = (r: typeof rule) => set({ ...s, levels: { ...levels, [name]: r } });
    return (
      <>
        {num(
          t('tiers.levelSpend', { level: t(`tiers.levels.${name}`) }),
          yuan(rule.spend_fen),
          (n) => put({ ...rule, spend_fen: Math.round(n * 100) }),
          1e10,
        )}
        {num(
          t('tiers.levelFrequency', { level: t(`tiers.levels.${name}`) }),
          rule.frequency,
          (n) => put({ ...rule, frequency: n }),
          100000,
        )}
        {num(
          t('tiers.levelTenure', { level: t(`tiers.levels.${name}`) }),
          rule.tenure_months,
          (n) => put({ ...rule, tenure_months: n }),
          600,
        )}
      </>
    );
  };
  return (
    <>
      <Text fw={500} mt="md">
        {t('tiers.classSettings')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {level('gold')}
        {level('silver')}
        {num(t('tiers.graceDays'), levels.grace_days, (n) => set({ ...s, levels: { ...levels, grace_days: n } }), 3650)}
        {num(
          t('tiers.bandHigh'),
          yuan(bands.high_fen),
          (n) => set({ ...s, bands: { ...bands, high_fen: Math.round(n * 100) } }),
          1e10,
        )}
        {num(
          t('tiers.bandMedium'),
          yuan(bands.medium_fen),
          (n) => set({ ...s, bands: { ...bands, medium_fen: Math.round(n * 100) } }),
          1e10,
        )}
        {num(t('tiers.dormantDays'), life.dormant_days, (n) => set({ ...s, lifecycle: { ...life, dormant_days: n } }), 3650, 1)}
        {num(t('tiers.churnMonths'), life.churn_months, (n) => set({ ...s, lifecycle: { ...life, churn_months: n } }), 36, 1)}
        {num(
          t('tiers.churnDrop'),
          life.churn_drop_percent,
          (n) => set({ ...s, lifecycle: { ...life, churn_drop_percent: n } }),
          100,
          1,
        )}
      </SimpleGrid>
    </>
  );
}
