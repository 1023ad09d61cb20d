import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { formatTime } from '@/lib/format';
import { ListTable } from '@/components/list-table';
import { incidentCategoryValues, severityValues } from '@/api/schema';

type Category = components['schemas']['IncidentCategory'];
type Severity = components['schemas']['Severity'];

export const CATEGORIES = incidentCategoryValues;
export const SEVERITIES = severityValues;
export const FIELDS = [
  'name',
  'gender',
  'birth_date',
  'national_id',
  'mobile',
  'email',
  'address',
  'address_region',
  'occupation',
  'income_band',
  'purchases',
  'preferences',
  'feedback',
  'contacts',
  'consents',
  'tickets',
];
export const severityColor: Record<string, string> = { low: 'gray', medium: 'yellow', high: 'orange', critical: 'red' };

/** A datetime-local input value as RFC 3339 (the browser gives local time without a zone). */
const toRfc3339 = (v: string) => (v ? new Date(v).toISOString() : '');

function NewIncident() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [f, setF] = useState({
    title: '',
    description: '',
    cause: '',
    harm: '',
    advice: '',
    contact: '',
    occurred_at: '',
    detected_at: '',
  });
  const [category, setCategory] = useState<string | null>('leak');
  const [severity, setSeverity] = useState<string | null>('high');
  const [fields, setFields] = useState<string[]>([]);
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setF({ ...f, [k]: e.currentTarget.value });
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/incidents', {
          body: {
            ...f,
            category: (category ?? 'other') as Category,
            severity: (severity ?? 'high') as Severity,
            fields,
            occurred_at: toRfc3339(f.occurred_at),
            detected_at: toRfc3339(f.detected_at),
          },
        }),
      ),
    onSuccess: async (i) => {
      await client.invalidateQueries({ queryKey: ['incidents'] });
      void navigate(`/incidents/${i.id}`);
    },
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={4}>{t('incidents.new')}</Title>
        <ProblemAlert error={create.error} />
        <TextInput label={t('incidents.titleField')} value={f.title} onChange={set('title')} required />
        <Group grow>
          <Select
            label={t('incidents.category')}
            data={CATEGORIES.map((c) => ({ value: c, label: t(`incidents.categories.${c}`) }))}
            value={category}
            onChange={setCategory}
          />
          <Select
            label={t('incidents.severity')}
            data={SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severities.${s}`) }))}
            value={severity}
            onChange={setSeverity}
          />
        </Group>
        <MultiSelect
          label={t('incidents.fields')}
          data={FIELDS.map((x) => ({ value: x, label: t(`incidents.fieldNames.${x}`) }))}
          value={fields}
          onChange={setFields}
        />
        <Group grow>
          <TextInput
            type="datetime-local"
            label={t('incidents.occurredAt')}
            value={f.occurred_at}
            onChange={set('occurred_at')}
          />
          <TextInput
            type="datetime-local"
            label={t('incidents.detectedAt')}
            value={f.detected_at}
            onChange={set('detected_at')}
          />
        </Group>
        <Textarea label={t('incidents.description')} value={f.description} onChange={set('description')} autosize minRows={2} />
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Textarea label={t('incidents.cause')} value={f.cause} onChange={set('cause')} autosize minRows={2} />
          <Textarea label={t('incidents.harm')} value={f.harm} onChange={set('harm')} autosize minRows={2} />
          <Textarea label={t('incidents.advice')} value={f.advice} onChange={set('advice')} autosize minRows={2} />
        </SimpleGrid>
        <TextInput label={t('incidents.contact')} value={f.contact} onChange={set('contact')} />
        <Group>
          <Button onClick={() => create.mutate()} loading={create.isPending} data-testid="incident-create">
            {t('incidents.record')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** The incident register: every incident of the caller's scope, and recording a new one. */
export function IncidentsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['incidents'],
    queryFn: async () => unwrap(await api.GET('/api/v1/incidents', { params: { query: { limit: 200 } } })),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('incidents.title')}
        </Title>
        {can(me, 'incidents:manage') && (
          <Button variant={creating ? 'default' : 'filled'} onClick={() => setCreating(!creating)}>
            {t('incidents.new')}
          </Button>
        )}
      </Group>
      {creating && <NewIncident />}
      <ProblemAlert error={list.error} />
      {list.data?.items.length === 0 && <Text c="dimmed">{t('incidents.none')}</Text>}
      <ListTable striped data-testid="incident-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('incidents.detectedAt')}</Table.Th>
            <Table.Th>{t('incidents.titleField')}</Table.Th>
            <Table.Th>{t('incidents.severity')}</Table.Th>
            <Table.Th>{t('incidents.status')}</Table.Th>
            <Table.Th>{t('incidents.affected')}</Table.Th>
            <Table.Th>{t('incidents.notified')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>{formatTime(i.detected_at, i18n.language)}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/incidents/${i.id}`}>
                  {i.title}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Badge color={severityColor[i.severity]}>{t(`incidents.severities.${i.severity}`)}</Badge>
              </Table.Td>
              <Table.Td>{t(`incidents.statuses.${i.status}`)}</Table.Td>
              <Table.Td>{i.affected}</Table.Td>
              <Table.Td>{i.notified}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </Stack>
  );
}
