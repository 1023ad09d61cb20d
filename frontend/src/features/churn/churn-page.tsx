import { Button, Group, Modal, SegmentedControl, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime, formatYuan } from '@/lib/format';
import { can, useMe } from '@/lib/use-me';

import { ACTIONS, OUTCOMES, useRecordAction, useWarnings, type ChurnWarning, type NewAction } from './api';
import { WinbackButton } from './winback-button';

/** "Spend −62 % vs the previous 6 months (¥1,000 against ¥2,600)". */
function Reason({ w }: { w: ChurnWarning }) {
  const { t, i18n } = useTranslation();
  const figure = (n: number) => (w.measure === 'spend' ? formatYuan(n, i18n.language) : String(n));
  return (
    <Text size="sm">
      {t(`churn.reason.${w.measure}`, {
        percent: w.drop_percent,
        months: w.months,
        recent: figure(w.recent),
        previous: figure(w.previous),
      })}
    </Text>
  );
}

function ActionForm({ w, onClose }: { w: ChurnWarning; onClose: () => void }) {
  const { t } = useTranslation();
  const [action, setAction] = useState<NewAction['action']>('call');
  const [outcome, setOutcome] = useState<NewAction['outcome']>('reached');
  const [note, setNote] = useState('');
  const record = useRecordAction(w.id, onClose);
  return (
    <Stack>
      <Text size="sm">{w.customer.name}</Text>
      <Select
        label={t('churn.action')}
        data={ACTIONS.map((a) => ({ value: a, label: t(`churn.actions.${a}`) }))}
        value={action}
        onChange={(v) => v && setAction(v as NewAction['action'])}
        allowDeselect={false}
      />
      <Select
        label={t('churn.outcome')}
        data={OUTCOMES.map((o) => ({ value: o, label: t(`churn.outcomes.${o}`) }))}
        value={outcome}
        onChange={(v) => v && setOutcome(v as NewAction['outcome'])}
        allowDeselect={false}
      />
      <Textarea label={t('churn.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
      <ProblemAlert error={record.error} />
      <Button
        loading={record.isPending}
        onClick={() => record.mutate({ action, outcome, note: note.trim() || undefined })}
        data-testid="churn-action-save"
      >
        {t('common.save')}
      </Button>
    </Stack>
  );
}

/** The churn-warning queue (MKT-6): whose spend or purchases fell, by how much, and what the
 * account manager did about it. A warning closes by itself when the customer is active again. */
export function ChurnPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const [mine, setMine] = useState(true);
  const warnings = useWarnings(status, mine ? me?.id : undefined);
  const [acting, setActing] = useState<ChurnWarning | null>(null);
  const writes = can(me, 'customers:write');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('churn.title')}
        </Title>
        {can(me, 'campaigns:manage') && <WinbackButton />}
      </Group>
      <Text size="sm" c="dimmed">
        {t('churn.help')}
      </Text>
      <Group>
        <SegmentedControl
          value={mine ? 'mine' : 'all'}
          onChange={(v) => setMine(v === 'mine')}
          data={[
            { value: 'mine', label: t('churn.mine') },
            { value: 'all', label: t('churn.all') },
          ]}
        />
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v as 'open' | 'closed')}
          data={[
            { value: 'open', label: t('churn.open') },
            { value: 'closed', label: t('churn.closed') },
          ]}
        />
      </Group>
      <ProblemAlert error={warnings.error} />
      <ListTable striped data-testid="churn-queue">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('customers.name')}</Table.Th>
            <Table.Th>{t('churn.why')}</Table.Th>
            <Table.Th>{t('churn.opened')}</Table.Th>
            <Table.Th>{t('churn.lastAction')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {warnings.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text size="sm" c="dimmed">
                  {t('churn.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {warnings.data?.items.map((w) => {
            const last = w.actions.at(-1);
            return (
              <Table.Tr key={w.id} data-testid="churn-warning">
                <Table.Td>
                  <Link to={`/customers/${w.customer.id}`}>{w.customer.name}</Link>
                </Table.Td>
                <Table.Td>
                  <Reason w={w} />
                  {w.closed_reason && (
                    <Text size="xs" c="dimmed">
                      {t(`churn.closedReasons.${w.closed_reason}`)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{formatTime(w.opened_at, i18n.language)}</Table.Td>
                <Table.Td>
                  {last ? `${t(`churn.actions.${last.action}`)} · ${t(`churn.outcomes.${last.outcome}`)}` : '—'}
                </Table.Td>
                <Table.Td>
                  {writes && (
                    <Button size="xs" variant="light" onClick={() => setActing(w)}>
                      {t('churn.record')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </ListTable>
      <Modal opened={acting !== null} onClose={() => setActing(null)} title={t('churn.record')}>
        {acting && <ActionForm w={acting} onClose={() => setActing(null)} />}
      </Modal>
    </Stack>
  );
}
