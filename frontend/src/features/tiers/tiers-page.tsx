import { Badge, Button, Card, Group, NumberInput, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { JobProgress, OnFinished } from '@/components/job-progress';
import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { can, useMe } from '@/lib/use-me';

import { ClassSettings } from './class-settings';
import { StrategiesCard } from './strategies-card';
import { UnitMargins } from './unit-margins';
import {
  TIERS,
  tierKeys,
  useSaveTierConfig,
  useStartTierRun,
  useTierConfig,
  useTierRuns,
  type TierRun,
  type TierSettings,
} from './api';

/** The settings as a form: window, the three weights (adding up to 100) and the tier shares. */
function SettingsForm({ version, initial, editable }: { version: number; initial: TierSettings; editable: boolean }) {
  const { t } = useTranslation();
  const [s, setS] = useState(initial);
  useEffect(() => setS(initial), [initial]);
  const save = useSaveTierConfig();
  const num = (label: string, value: number, set: (n: number) => void, max = 100) => (
    <NumberInput
      label={label}
      value={value}
      min={0}
      max={max}
      suffix={max === 100 ? ' %' : undefined}
      hideControls
      onChange={(v) => set(typeof v === 'number' ? v : 0)}
      disabled={!editable}
    />
  );
  const weights = s.weights.spend + s.weights.profit + s.weights.frequency;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('tiers.settings')}
        </Title>
        <Badge variant="light">{t('tiers.version', { version })}</Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 4 }}>
        {num(t('tiers.windowMonths'), s.window_months, (n) => setS({ ...s, window_months: n }), 60)}
        {num(t('tiers.measures.spend'), s.weights.spend, (n) => setS({ ...s, weights: { ...s.weights, spend: n } }))}
        {num(t('tiers.measures.profit'), s.weights.profit, (n) => setS({ ...s, weights: { ...s.weights, profit: n } }))}
        {num(t('tiers.measures.frequency'), s.weights.frequency, (n) => setS({ ...s, weights: { ...s.weights, frequency: n } }))}
        {num(t('tiers.shareOf', { tier: 'A' }), s.shares.a, (n) => setS({ ...s, shares: { ...s.shares, a: n } }))}
        {num(t('tiers.shareOf', { tier: 'B' }), s.shares.b, (n) => setS({ ...s, shares: { ...s.shares, b: n } }))}
        {num(t('tiers.shareOf', { tier: 'C' }), s.shares.c, (n) => setS({ ...s, shares: { ...s.shares, c: n } }))}
        {num(t('tiers.defaultMargin'), s.default_margin_percent, (n) => setS({ ...s, default_margin_percent: n }))}
      </SimpleGrid>
      <UnitMargins s={s} set={setS} editable={editable} />
      <ClassSettings s={s} set={setS} editable={editable} />
      <Text size="sm" c={weights === 100 ? 'dimmed' : 'red.8'} mt="xs">
        {t('tiers.weightsTotal', { total: weights })} ·{' '}
        {t('tiers.dShare', { share: Math.max(0, 100 - s.shares.a - s.shares.b - s.shares.c) })}
      </Text>
      <ProblemAlert error={save.error} />
      {editable && (
        <Button mt="sm" onClick={() => save.mutate({ version, settings: s })} loading={save.isPending} data-testid="tiers-save">
          {t('common.save')}
        </Button>
      )}
    </Card>
  );
}

/** What a run found: the customers per tier, and how many move from each tier to each other. */
function RunResult({ run }: { run: TierRun }) {
  const { t } = useTranslation();
  const s = run.summary;
  if (!s) return null;
  const chart = TIERS.map((tier) => ({ tier, customers: s.distribution[tier] ?? 0 }));
  const froms = ['none', ...TIERS];
  const count = (from: string, to: string) => s.movement.find((m) => m.from === from && m.to === to)?.count ?? 0;
  const label = (x: string) => (x === 'none' ? t('tiers.noTier') : x);
  return (
    <Card withBorder data-testid="tier-run-result">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t(run.dry_run ? 'tiers.dryRunResult' : 'tiers.appliedResult')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('tiers.runFacts', { scored: run.scored, changed: run.changed })}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={chart}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="tier" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="customers" name={t('tiers.customers')} fill="#228be6" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        <ListTable data-testid="tier-movement" minWidth={360}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tiers.fromTo')}</Table.Th>
              {froms.map((to) => (
                <Table.Th key={to}>{label(to)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {froms.map((from) => (
              <Table.Tr key={from}>
                <Table.Th scope="row">{label(from)}</Table.Th>
                {froms.map((to) => (
                  <Table.Td key={to} fw={from !== to && count(from, to) > 0 ? 600 : undefined}>
                    {count(from, to)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </SimpleGrid>
      {Object.keys(s.classes ?? {}).length > 0 && (
        <Text size="sm" mt="sm" data-testid="tier-run-classes">
          {Object.entries(s.classes ?? {})
            .map(([cls, n]) => {
              const [kind, value] = cls.split(':');
              return `${t(`tiers.${kind === 'level' ? 'levels' : kind === 'band' ? 'bands' : 'lifecycles'}.${value}`)} ${n}`;
            })
            .join(' · ')}
        </Text>
      )}
    </Card>
  );
}

/** Value tiers A/B/C/D: the settings, a dry run's distribution and movement before applying,
 * and the runs so far. */
export function TiersPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const client = useQueryClient();
  const config = useTierConfig();
  const runs = useTierRuns();
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useStartTierRun(setJobId);
  const manages = can(me, 'tiers:manage');
  const latest = runs.data?.find((r) => r.status === 'done');
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('tiers.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('tiers.help')}
      </Text>
      <ProblemAlert error={config.error ?? runs.error ?? start.error} />
      {config.data && <SettingsForm version={config.data.version} initial={config.data.settings} editable={manages} />}
      {manages && (
        <Group>
          <Button variant="default" onClick={() => start.mutate(true)} loading={start.isPending} data-testid="tiers-dry-run">
            {t('tiers.dryRun')}
          </Button>
          <Button onClick={() => start.mutate(false)} loading={start.isPending} data-testid="tiers-apply">
            {t('tiers.apply')}
          </Button>
        </Group>
      )}
      {jobId && (
        <JobProgress id={jobId}>
          {() => <OnFinished onSeen={() => void client.invalidateQueries({ queryKey: tierKeys.all })} />}
        </JobProgress>
      )}
      {latest && <RunResult run={latest} />}
      <StrategiesCard editable={manages} />
      <Title order={2} size="h4">
        {t('tiers.runs')}
      </Title>
      <ListTable striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('tiers.startedAt')}</Table.Th>
            <Table.Th>{t('tiers.kind')}</Table.Th>
            <Table.Th>{t('tiers.version', { version: '' })}</Table.Th>
            <Table.Th>{t('tiers.scored')}</Table.Th>
            <Table.Th>{t('tiers.changed')}</Table.Th>
            <Table.Th>{t('jobs.statusLabel')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.data?.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text size="sm" c="dimmed">
                  {t('tiers.noRuns')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {runs.data?.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{formatTime(r.started_at, i18n.language)}</Table.Td>
              <Table.Td>{t(r.dry_run ? 'tiers.dryRun' : 'tiers.apply')}</Table.Td>
              <Table.Td>{r.config_version}</Table.Td>
              <Table.Td>{r.scored}</Table.Td>
              <Table.Td>{r.changed}</Table.Td>
              <Table.Td>{t(`tiers.status.${r.status}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </Stack>
  );
}
