import { Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { formatPercent, formatTime, formatYuan } from '@/lib/format';
import { can, useMe } from '@/lib/use-me';

import { actionsFor, useAct, useCampaign, useReport, type Action, type Campaign, type CampaignReport } from './api';
import { CampaignForm } from './campaign-form';
import { STATE_COLOR } from './campaigns-page';

function Figure({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <Card withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Card>
  );
}

/** Response, conversion and return (MKT-3), with the control group when the plan held one back. */
function Evaluation({ c, r }: { c: Campaign; r: CampaignReport }) {
  const { t, i18n } = useTranslation();
  const pct = (v: number, signed = false) => formatPercent(v, i18n.language, signed);
  const rates = [{ group: t('campaigns.reachedGroup'), rate: r.conversion_rate * 100 }];
  if (r.control_conversion_rate != null) {
    rates.push({ group: t('campaigns.controlGroup'), rate: r.control_conversion_rate * 100 });
  }
  return (
    <Stack gap="xs" data-testid="campaign-evaluation">
      <Title order={3} size="h5">
        {t('campaigns.evaluation')}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }}>
        <Figure
          label={t('campaigns.responded')}
          value={`${r.responded} · ${t('campaigns.rate', { value: pct(r.participation_rate) })}`}
        />
        <Figure
          label={t('campaigns.converted', { days: c.attribution_days })}
          value={`${r.converted} · ${t('campaigns.rate', { value: pct(r.conversion_rate) })}`}
          testId="report-converted"
        />
        <Figure label={t('campaigns.revenue')} value={formatYuan(r.revenue_fen, i18n.language)} />
        <Figure label={t('campaigns.roi')} value={r.roi == null ? '—' : pct(r.roi)} testId="report-roi" />
        {r.control > 0 && (
          <Figure
            label={t('campaigns.controlConverted')}
            value={`${r.control_converted} / ${r.control} · ${pct(r.control_conversion_rate ?? 0)}`}
          />
        )}
        {r.uplift != null && <Figure label={t('campaigns.uplift')} value={pct(r.uplift, true)} />}
      </SimpleGrid>
      {r.control > 0 && (
        <ResponsiveContainer width="100%" height={120}>
          <BarChart data={rates} layout="vertical" margin={{ left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" unit="%" />
            <YAxis type="category" dataKey="group" width={80} />
            <Tooltip />
            <Bar dataKey="rate" name={t('campaigns.conversionChart')} fill="#228be6" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </Stack>
  );
}

function Report({ c }: { c: Campaign }) {
  const { t, i18n } = useTranslation();
  const report = useReport(c.id, c.state === 'running' || c.state === 'scheduled');
  const r = report.data;
  if (!r) return <ProblemAlert error={report.error} />;
  const chart = r.excluded_by_reason.map((e) => ({ reason: t(`campaigns.reasons.${e.reason}`), count: e.count }));
  return (
    <Stack data-testid="campaign-report">
      <Title order={2} size="h4">
        {t('campaigns.report')}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }}>
        <Figure label={t('campaigns.audience')} value={r.audience} testId="report-audience" />
        <Figure label={t('campaigns.sent')} value={r.sent} testId="report-sent" />
        <Figure label={t('campaigns.failed')} value={r.failed} />
        <Figure label={t('campaigns.waiting')} value={r.audience - r.decided + r.queued} />
        <Figure label={t('campaigns.excluded')} value={r.excluded} />
        <Figure label={t('campaigns.spent')} value={formatYuan(r.cost_fen, i18n.language)} />
      </SimpleGrid>
      <Evaluation c={c} r={r} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={chart} layout="vertical" margin={{ left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="reason" width={120} />
            <Tooltip />
            <Bar dataKey="count" name={t('campaigns.excluded')} fill="#fa5252" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        <ListTable minWidth={280} data-testid="report-reasons">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.reason')}</Table.Th>
              <Table.Th>{t('campaigns.count')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.excluded_by_reason.map((e) => (
              <Table.Tr key={e.reason}>
                <Table.Td>{t(`campaigns.reasons.${e.reason}`)}</Table.Td>
                <Table.Td>{e.count}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </SimpleGrid>
    </Stack>
  );
}

/** One campaign: its plan, the steps its state allows the viewer, and the report. */
export function CampaignPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const campaign = useCampaign(id);
  const act = useAct(id);
  const [editing, setEditing] = useState(false);
  const [reviewing, setReviewing] = useState<Action | null>(null);
  const [note, setNote] = useState('');
  const c = campaign.data;
  if (!c) return <ProblemAlert error={campaign.error} />;
  const manages = can(me, 'campaigns:manage');
  const actions = actionsFor(c.state, manages, can(me, 'campaigns:approve'));
  const take = (action: Action) => (action === 'approve' || action === 'reject' ? setReviewing(action) : act.mutate({ action }));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {c.name}
        </Title>
        <Badge size="lg" color={STATE_COLOR[c.state]} variant="light" data-testid="campaign-state">
          {t(`campaigns.states.${c.state}`)}
        </Badge>
      </Group>
      <Card withBorder>
        <Stack gap="xs">
          {c.goal && <Text size="sm">{c.goal}</Text>}
          <Text size="sm">
            {t(`campaigns.channels.${c.channel}`)} · {formatTime(c.starts_at, i18n.language)} –{' '}
            {formatTime(c.ends_at, i18n.language)}
          </Text>
          {c.subject && <Text fw={600}>{c.subject}</Text>}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {c.body}
          </Text>
          {c.review_note && (
            <Text size="sm" c="orange">
              {t('campaigns.reviewNote')}: {c.review_note}
            </Text>
          )}
        </Stack>
      </Card>
      <ProblemAlert error={act.error} />
      <Group data-testid="campaign-actions">
        {manages && c.state === 'draft' && (
          <Button variant="default" onClick={() => setEditing(true)}>
            {t('common.edit')}
          </Button>
        )}
        {actions.map((a) => (
          <Button
            key={a}
            color={a === 'cancel' || a === 'reject' ? 'red' : undefined}
            variant={a === 'cancel' ? 'subtle' : 'filled'}
            loading={act.isPending}
            onClick={() => take(a)}
          >
            {t(`campaigns.actions.${a}`)}
          </Button>
        ))}
      </Group>
      {c.state !== 'draft' && c.state !== 'pending_approval' && <Report c={c} />}
      <Modal opened={editing} onClose={() => setEditing(false)} title={t('common.edit')} size="lg">
        <CampaignForm campaign={c} onSaved={() => setEditing(false)} />
      </Modal>
      <Modal
        opened={reviewing !== null}
        onClose={() => setReviewing(null)}
        title={reviewing ? t(`campaigns.actions.${reviewing}`) : ''}
      >
        <Stack>
          <Textarea label={t('campaigns.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
          <Button
            disabled={reviewing === 'reject' && !note.trim()}
            loading={act.isPending}
            onClick={() =>
              reviewing &&
              act.mutate({ action: reviewing, note: note.trim() || undefined }, { onSuccess: () => setReviewing(null) })
            }
            data-testid="campaign-review-confirm"
          >
            {reviewing ? t(`campaigns.actions.${reviewing}`) : ''}
          </Button>
        </Stack>
      </Modal>
    </Stack>
  );
}
