import { ActionIcon, Badge, Button, Card, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';

import { CHANNELS, KINDS, PRIORITIES } from './api';
import {
  useCalendar,
  useSaveCalendar,
  useSaveSlaPolicies,
  useSaveSlaSettings,
  useSlaPolicies,
  useSlaSettings,
  type CalendarDay,
  type SlaPolicy,
  type SlaSettings,
} from './sla-api';

const CLASSES = ['urgent', 'priority', 'standard'] as const;

/** "09:00" ⇄ minutes after midnight. */
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minutes = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

function HoursCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const stored = useSlaSettings();
  const save = useSaveSlaSettings();
  const [draft, setDraft] = useState<SlaSettings | null>(null);
  useEffect(() => setDraft(stored.data ?? null), [stored.data]);
  if (!draft) return <ProblemAlert error={stored.error} />;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t('sla.hours')}
      </Title>
      <Group align="flex-end">
        <TextInput
          type="time"
          label={t('sla.start')}
          value={hhmm(draft.start_minute)}
          disabled={!editable}
          onChange={(e) => setDraft({ ...draft, start_minute: minutes(e.currentTarget.value) })}
        />
        <TextInput
          type="time"
          label={t('sla.end')}
          value={hhmm(draft.end_minute)}
          disabled={!editable}
          onChange={(e) => setDraft({ ...draft, end_minute: minutes(e.currentTarget.value) })}
        />
        <NumberInput
          label={t('sla.warnPercent')}
          value={draft.warn_percent}
          min={1}
          max={99}
          suffix=" %"
          w={120}
          disabled={!editable}
          onChange={(v) => typeof v === 'number' && setDraft({ ...draft, warn_percent: v })}
        />
        {editable && (
          <Button loading={save.isPending} onClick={() => save.mutate(draft)} data-testid="sla-hours-save">
            {t('sla.save')}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed" mt="xs">
        {t('sla.hoursHelp')}
      </Text>
      <ProblemAlert error={save.error} />
    </Card>
  );
}

function AnySelect({
  label,
  values,
  value,
  word,
  disabled,
  onChange,
}: {
  label: string;
  values: readonly string[];
  value: string | null | undefined;
  word: (v: string) => string;
  disabled: boolean;
  onChange: (v: string | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <Select
      aria-label={label}
      placeholder={t('sla.any')}
      data={values.map((v) => ({ value: v, label: word(v) }))}
      value={value ?? null}
      clearable
      disabled={disabled}
      w={130}
      onChange={onChange}
    />
  );
}

function PoliciesCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const stored = useSlaPolicies();
  const save = useSaveSlaPolicies();
  const [rows, setRows] = useState<SlaPolicy[]>([]);
  useEffect(() => setRows(stored.data?.policies ?? []), [stored.data]);
  const set = (i: number, change: Partial<SlaPolicy>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const blank: SlaPolicy = { first_response_minutes: 60, resolution_minutes: 540, clock: 'business' };
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('sla.policies')}{' '}
          {stored.data?.defaults && (
            <Badge variant="light" color="gray">
              {t('sla.defaults')}
            </Badge>
          )}
        </Title>
        {editable && (
          <Group gap="xs">
            <Button variant="default" size="xs" onClick={() => setRows([...rows, blank])}>
              {t('sla.addPolicy')}
            </Button>
            <Button size="xs" loading={save.isPending} onClick={() => save.mutate(rows)} data-testid="sla-policies-save">
              {t('sla.save')}
            </Button>
          </Group>
        )}
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {t('sla.policiesHelp')}
      </Text>
      <ProblemAlert error={stored.error ?? save.error} />
      <ListTable striped minWidth={900} data-testid="sla-policies">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('tickets.kind')}</Table.Th>
            <Table.Th>{t('tickets.channel')}</Table.Th>
            <Table.Th>{t('tickets.priority')}</Table.Th>
            <Table.Th>{t('tiers.slaClass')}</Table.Th>
            <Table.Th>{t('sla.firstResponse')}</Table.Th>
            <Table.Th>{t('sla.resolution')}</Table.Th>
            <Table.Th>{t('sla.clock')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => {
            const row = t('sla.row', { n: i + 1 });
            return (
              <Table.Tr key={i}>
                <Table.Td>
                  <AnySelect
                    label={`${row}: ${t('tickets.kind')}`}
                    values={KINDS}
                    value={r.kind}
                    word={(v) => t(`tickets.kinds.${v}`)}
                    disabled={!editable}
                    onChange={(v) => set(i, { kind: v as SlaPolicy['kind'] })}
                  />
                </Table.Td>
                <Table.Td>
                  <AnySelect
                    label={`${row}: ${t('tickets.channel')}`}
                    values={CHANNELS}
                    value={r.channel}
                    word={(v) => t(`tickets.channels.${v}`)}
                    disabled={!editable}
                    onChange={(v) => set(i, { channel: v as SlaPolicy['channel'] })}
                  />
                </Table.Td>
                <Table.Td>
                  <AnySelect
                    label={`${row}: ${t('tickets.priority')}`}
                    values={PRIORITIES}
                    value={r.priority}
                    word={(v) => t(`tickets.priorities.${v}`)}
                    disabled={!editable}
                    onChange={(v) => set(i, { priority: v as SlaPolicy['priority'] })}
                  />
                </Table.Td>
                <Table.Td>
                  <AnySelect
                    label={`${row}: ${t('tiers.slaClass')}`}
                    values={CLASSES}
                    value={r.sla_class}
                    word={(v) => t(`tiers.sla.${v}`)}
                    disabled={!editable}
                    onChange={(v) => set(i, { sla_class: v as SlaPolicy['sla_class'] })}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={`${row}: ${t('sla.firstResponse')}`}
                    value={r.first_response_minutes}
                    min={1}
                    max={525600}
                    w={100}
                    disabled={!editable}
                    onChange={(v) => typeof v === 'number' && set(i, { first_response_minutes: v })}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={`${row}: ${t('sla.resolution')}`}
                    value={r.resolution_minutes}
                    min={1}
                    max={525600}
                    w={100}
                    disabled={!editable}
                    onChange={(v) => typeof v === 'number' && set(i, { resolution_minutes: v })}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`${row}: ${t('sla.clock')}`}
                    data={(['business', 'always'] as const).map((c) => ({ value: c, label: t(`tickets.clocks.${c}`) }))}
                    value={r.clock}
                    allowDeselect={false}
                    disabled={!editable}
                    w={130}
                    onChange={(v) => v && set(i, { clock: v as SlaPolicy['clock'] })}
                  />
                </Table.Td>
                <Table.Td>
                  {editable && (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`${row}: ${t('sla.remove')}`}
                      onClick={() => setRows(rows.filter((_, j) => j !== i))}
                    >
                      ×
                    </ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </ListTable>
    </Card>
  );
}

function CalendarCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const [year, setYear] = useState(new Date().getFullYear());
  const stored = useCalendar(year);
  const save = useSaveCalendar(year);
  const [days, setDays] = useState<CalendarDay[]>([]);
  useEffect(() => setDays(stored.data?.days ?? []), [stored.data]);
  const set = (i: number, change: Partial<CalendarDay>) => setDays(days.map((d, j) => (j === i ? { ...d, ...change } : d)));
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Title order={2} size="h4">
            {t('sla.calendar')}
          </Title>
          <NumberInput
            aria-label={t('sla.year')}
            value={year}
            min={2000}
            max={2100}
            w={100}
            onChange={(v) => typeof v === 'number' && setYear(v)}
          />
          {stored.data?.built_in && (
            <Badge variant="light" color="gray">
              {t('sla.builtIn')}
            </Badge>
          )}
        </Group>
        {editable && (
          <Group gap="xs">
            <Button
              variant="default"
              size="xs"
              onClick={() => setDays([...days, { day: `${year}-01-01`, kind: 'holiday', name: '' }])}
            >
              {t('sla.addDay')}
            </Button>
            <Button size="xs" loading={save.isPending} onClick={() => save.mutate(days)} data-testid="sla-calendar-save">
              {t('sla.save')}
            </Button>
          </Group>
        )}
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {t('sla.calendarHelp')}
      </Text>
      <ProblemAlert error={stored.error ?? save.error} />
      <ListTable striped minWidth={520} data-testid="sla-calendar">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('sla.day')}</Table.Th>
            <Table.Th>{t('sla.dayKind')}</Table.Th>
            <Table.Th>{t('sla.dayName')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {days.map((d, i) => (
            <Table.Tr key={i}>
              <Table.Td>
                <TextInput
                  type="date"
                  aria-label={t('sla.day')}
                  value={d.day}
                  disabled={!editable}
                  onChange={(e) => set(i, { day: e.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={`${d.day}: ${t('sla.dayKind')}`}
                  data={(['holiday', 'workday'] as const).map((k) => ({ value: k, label: t(`sla.days.${k}`) }))}
                  value={d.kind}
                  allowDeselect={false}
                  disabled={!editable}
                  w={150}
                  onChange={(v) => v && set(i, { kind: v as CalendarDay['kind'] })}
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  aria-label={`${d.day}: ${t('sla.dayName')}`}
                  value={d.name ?? ''}
                  maxLength={50}
                  disabled={!editable}
                  onChange={(e) => set(i, { name: e.currentTarget.value || null })}
                />
              </Table.Td>
              <Table.Td>
                {editable && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`${d.day}: ${t('sla.remove')}`}
                    onClick={() => setDays(days.filter((_, j) => j !== i))}
                  >
                    ×
                  </ActionIcon>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </Card>
  );
}

/** The SLA setup (SVC-3): business hours and the warning share, the targets by ticket type,
 * channel, priority and class, and each year's holidays with the make-up working days. Everyone
 * who reads tickets may look; managers edit. */
export function SlaPage() {
  const { t } = useTranslation();
  const editable = can(useMe().data, 'sla:manage');
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('sla.title')}
      </Title>
      <HoursCard editable={editable} />
      <PoliciesCard editable={editable} />
      <CalendarCard editable={editable} />
    </Stack>
  );
}
