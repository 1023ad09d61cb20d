import { Badge, Button, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ProblemAlert } from '@/components/problem-alert';
import { formatTime, formatYuan as yuan } from '@/lib/format';
import { can, useMe } from '@/lib/use-me';

import { TIERS, useEndOverride, useSetOverride, type CustomerTier } from './api';

/** Level, band, lifecycle and RFM, with the figures the lifecycle compares, and the service the
 * customer's classes call for. */
export function ProfileFacts({ v }: { v: CustomerTier }) {
  const { t, i18n } = useTranslation();
  const p = v.profile;
  const s = v.strategy;
  return (
    <Stack gap="xs" data-testid="customer-profile">
      {p ? (
        <>
          <Group gap="xs">
            <Badge variant="light" data-testid="customer-level">
              {t(`tiers.levels.${p.level}`)}
            </Badge>
            <Badge variant="light" color="teal">
              {t(`tiers.bands.${p.band}`)}
            </Badge>
            <Badge variant="light" color={p.lifecycle === 'churn_risk' ? 'red' : 'gray'} data-testid="customer-lifecycle">
              {t(`tiers.lifecycles.${p.lifecycle}`)}
            </Badge>
            {p.rfm && <Badge variant="outline">{t('tiers.rfm', { rfm: p.rfm })}</Badge>}
          </Group>
          {p.level_kept_until && (
            <Text size="sm" c="dimmed">
              {t('tiers.levelKept', { when: formatTime(p.level_kept_until, i18n.language) })}
            </Text>
          )}
          {p.level_history.map((h) => (
            <Text key={h.run_id} size="sm" data-testid="level-change">
              {t('tiers.levelChange', {
                when: formatTime(h.at, i18n.language),
                from: t(`tiers.levels.${h.from}`),
                to: t(`tiers.levels.${h.to}`),
                spend: yuan(h.spend_fen, i18n.language),
                count: h.frequency,
              })}
            </Text>
          ))}
          <Text size="sm">
            {t('tiers.windows', {
              months: p.churn_months,
              recent: yuan(p.recent_spend_fen, i18n.language),
              previous: yuan(p.previous_spend_fen, i18n.language),
              recentCount: p.recent_frequency,
              previousCount: p.previous_frequency,
            })}
          </Text>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          {t('tiers.noProfile')}
        </Text>
      )}
      <Text size="sm" data-testid="customer-strategy">
        {t('tiers.strategyLine', {
          priority: s.priority,
          sla: t(`tiers.sla.${s.sla_class}`),
        })}
        {s.green_channel && ` · ${t('tiers.greenChannel')}`}
        {s.dedicated_manager && ` · ${t('tiers.dedicatedManager')}`}
        {!s.campaign_eligible && ` · ${t('tiers.noCampaigns')}`}
      </Text>
    </Stack>
  );
}

/** A manager's tier with a reason and a number of days; shown as an override until it ends. */
export function OverrideControl({ customerId, v }: { customerId: string; v: CustomerTier }) {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const set = useSetOverride(customerId);
  const end = useEndOverride(customerId);
  const [tier, setTier] = useState<string | null>('A');
  const [reason, setReason] = useState('');
  const [days, setDays] = useState<number>(90);
  const o = v.override;
  return (
    <Stack gap="xs">
      {o && (
        <Text size="sm" data-testid="tier-override">
          {t('tiers.overridden', {
            tier: o.tier,
            computed: v.computed_tier ?? t('tiers.noTier'),
            reason: o.reason,
            until: formatTime(o.expires_at, i18n.language),
          })}
        </Text>
      )}
      {can(me, 'tiers:manage') && (
        <Group align="end">
          <Select
            label={t('tiers.overrideTier')}
            data={TIERS.map((x) => ({ value: x, label: t('tiers.tierName', { tier: x }) }))}
            value={tier}
            onChange={setTier}
            w={120}
            allowDeselect={false}
          />
          <TextInput
            label={t('tiers.overrideReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            w={260}
          />
          <NumberInput
            label={t('tiers.overrideDays')}
            value={days}
            min={1}
            max={730}
            onChange={(n) => setDays(typeof n === 'number' ? n : 1)}
            w={120}
          />
          <Button
            disabled={!reason.trim() || !tier}
            loading={set.isPending}
            onClick={() => set.mutate({ tier: tier as (typeof TIERS)[number], reason: reason.trim(), days })}
            data-testid="tier-override-save"
          >
            {t('tiers.override')}
          </Button>
          {o && (
            <Button variant="default" loading={end.isPending} onClick={() => end.mutate()}>
              {t('tiers.endOverride')}
            </Button>
          )}
        </Group>
      )}
      <ProblemAlert error={set.error ?? end.error} />
    </Stack>
  );
}
