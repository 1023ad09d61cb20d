import { ActionIcon, Group, NumberInput, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useAllUnits } from '@/lib/use-units';

import type { TierSettings } from './api';

/** The default margin per unit, for purchases recorded without one (else the single default). */
export function UnitMargins({ s, set, editable }: { s: TierSettings; set: (s: TierSettings) => void; editable: boolean }) {
  const { t } = useTranslation();
  const units = useAllUnits().data?.items ?? [];
  const rows = s.unit_margins ?? [];
  const put = (next: typeof rows) => set({ ...s, unit_margins: next });
  const free = units.filter((u) => !rows.some((r) => r.unit_id === u.id));
  return (
    <Stack gap="xs" mt="md">
      <Text fw={500}>{t('tiers.unitMargins')}</Text>
      {rows.map((r, i) => {
        const name = units.find((u) => u.id === r.unit_id)?.name ?? r.unit_id;
        return (
          <Group key={r.unit_id} align="end">
            <Text w={200}>{name}</Text>
            <NumberInput
              aria-label={t('tiers.unitMarginOf', { unit: name })}
              value={r.percent}
              min={0}
              max={100}
              suffix=" %"
              w={100}
              disabled={!editable}
              onChange={(v) => put(rows.map((x, j) => (j === i ? { ...x, percent: typeof v === 'number' ? v : 0 } : x)))}
            />
            {editable && (
              <ActionIcon
                variant="subtle"
                aria-label={t('tiers.removeUnitMargin', { unit: name })}
                onClick={() => put(rows.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            )}
          </Group>
        );
      })}
      {editable && free.length > 0 && (
        <Select
          aria-label={t('tiers.addUnitMargin')}
          placeholder={t('tiers.addUnitMargin')}
          data={free.map((u) => ({ value: u.id, label: u.name }))}
          value={null}
          onChange={(v) => v && put([...rows, { unit_id: v, percent: s.default_margin_percent }])}
          w={260}
        />
      )}
    </Stack>
  );
}
