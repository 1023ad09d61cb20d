import { Badge, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime, formatYuan as yuan } from '@/lib/format';

import { percentOf, useCustomerTier } from './api';
import { OverrideControl, ProfileFacts } from './profile-card';

/** The customer's value tier and why: each measure, its percentile and weight, the score against
 * the run's cut-offs, and every change. */
export function ValueTab({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const tier = useCustomerTier(customerId);
  const v = tier.data;
  if (!v) return <ProblemAlert error={tier.error} />;
  const why = v.why;
  return (
    <Stack data-testid="value-tab">
      <Group>
        <Text fw={500}>{t('tiers.tier')}</Text>
        {v.tier ? (
          <Badge size="lg" data-testid="customer-tier">
            {t('tiers.tierName', { tier: v.tier })}
          </Badge>
        ) : (
          <Text c="dimmed" data-testid="customer-tier">
            {t(`tiers.reasons.${v.reason ?? 'none'}`)}
          </Text>
        )}
      </Group>
      <OverrideControl customerId={customerId} v={v} />
      <ProfileFacts v={v} />
      {why && (
        <>
          <Text size="sm" c="dimmed">
            {t('tiers.whyHelp', { months: why.window_months, when: formatTime(why.as_of, i18n.language) })}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {(
              [
                ['spend', yuan(why.spend_fen, i18n.language), why.pct_spend, why.weights.spend],
                ['profit', yuan(why.profit_fen, i18n.language), why.pct_profit, why.weights.profit],
                ['frequency', String(why.frequency), why.pct_frequency, why.weights.frequency],
              ] as const
            ).map(([measure, value, pct, weight]) => (
              <Stack key={measure} gap={2}>
                <Text size="sm" c="dimmed">
                  {t(`tiers.measures.${measure}`)}
                </Text>
                <Text fw={500}>{value}</Text>
                <Text size="sm">{t('tiers.percentile', { pct: percentOf(pct, 10000), weight })}</Text>
              </Stack>
            ))}
          </SimpleGrid>
          <Text size="sm" data-testid="tier-score">
            {t('tiers.scoreIs', { score: percentOf(why.score, 1_000_000) })}{' '}
            {Object.entries(why.cutoffs)
              .map(([tier, r]) => `${tier} ≥ ${percentOf(r.min, 1_000_000)}`)
              .join(' · ')}
          </Text>
        </>
      )}
      <ListTable striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.at')}</Table.Th>
            <Table.Th>{t('tiers.change')}</Table.Th>
            <Table.Th>{t('tiers.score')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {v.history.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={3}>
                <Text size="sm" c="dimmed">
                  {t('tiers.noHistory')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {v.history.map((h) => (
            <Table.Tr key={h.run_id}>
              <Table.Td>{formatTime(h.at, i18n.language)}</Table.Td>
              <Table.Td>
                {h.from ?? '—'} → {h.to ?? '—'}
              </Table.Td>
              <Table.Td>{h.score == null ? '—' : percentOf(h.score, 1_000_000)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </Stack>
  );
}
