import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { formatTime } from '@/lib/format';

import { severityColor } from './incidents-page';
import { notifyChannelValues } from '@/api/schema';

type ActionKind = components['schemas']['ActionKind'];
type NotifyChannel = components['schemas']['NotifyChannel'];
const ACTIONS: ActionKind[] = ['investigation', 'containment', 'remediation', 'regulator_report', 'closure', 'other'];
const CHANNELS = notifyChannelValues;

/** Adding affected customers: pasted ids, and/or everyone with a tag or in a unit. */
function Affected({ id, onChange }: { id: string; onChange: () => void }) {
  const { t } = useTranslation();
  const [ids, setIds] = useState('');
  const [tag, setTag] = useState('');
  const add = useMutation({
    mutationFn: async () => {
      const list = ids.split(/[\s,，]+/).filter(Boolean);
      return unwrap(
        await api.POST('/api/v1/incidents/{id}/customers', {
          params: { path: { id } },
          body: { customer_ids: list.length ? list : null, query: tag.trim() ? { tag: tag.trim() } : null },
        }),
      );
    },
    onSuccess: () => {
      setIds('');
      onChange();
    },
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={5}>{t('incidents.addAffected')}</Title>
        <ProblemAlert error={add.error} />
        <Group align="end" grow>
          <Textarea
            label={t('incidents.customerIds')}
            value={ids}
            onChange={(e) => setIds(e.currentTarget.value)}
            autosize
            minRows={1}
          />
          <TextInput label={t('incidents.byTag')} value={tag} onChange={(e) => setTag(e.currentTarget.value)} />
        </Group>
        <Group>
          <Button onClick={() => add.mutate()} loading={add.isPending} data-testid="affected-add">
            {t('incidents.add')}
          </Button>
          {add.data && (
            <Text size="sm" data-testid="affected-result">
              {t('incidents.added', { added: add.data.added, affected: add.data.affected })}
            </Text>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

export function IncidentPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const manage = can(me, 'incidents:manage');
  const client = useQueryClient();
  const incident = useQuery({
    queryKey: ['incidents', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/incidents/{id}', { params: { path: { id } } })),
  });
  const actions = useQuery({
    queryKey: ['incidents', id, 'actions'],
    queryFn: async () => unwrap(await api.GET('/api/v1/incidents/{id}/actions', { params: { path: { id } } })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['incidents', id] });
  const [kind, setKind] = useState<string | null>('containment');
  const [description, setDescription] = useState('');
  const act = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/incidents/{id}/actions', {
          params: { path: { id } },
          body: { kind: (kind ?? 'other') as ActionKind, description },
        }),
      ),
    onSuccess: () => {
      setDescription('');
      void refresh();
    },
  });
  const [channel, setChannel] = useState<string | null>('sms');
  const notify = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/incidents/{id}/notifications', {
          params: { path: { id } },
          body: { channel: (channel ?? 'sms') as NotifyChannel },
        }),
      ),
    onSuccess: () => void refresh(),
  });
  const i = incident.data;
  if (!i) return <ProblemAlert error={incident.error} />;
  const open = i.status !== 'closed';
  return (
    <Stack>
      <Anchor component={Link} to="/incidents">
        ← {t('incidents.title')}
      </Anchor>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {i.title}
        </Title>
        <Group>
          <Badge color={severityColor[i.severity]}>{t(`incidents.severities.${i.severity}`)}</Badge>
          <Badge variant="outline" data-testid="incident-status">
            {t(`incidents.statuses.${i.status}`)}
          </Badge>
          <Button component={Link} to={`/incidents/${id}/report`} variant="light" data-testid="incident-report-link">
            {t('incidents.report')}
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Card withBorder>
          <Text size="xs" c="dimmed">
            {t('incidents.affected')}
          </Text>
          <Text fw={700} size="xl" data-testid="incident-affected">
            {i.affected}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">
            {t('incidents.notified')}
          </Text>
          <Text fw={700} size="xl">
            {i.notified}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">
            {t('incidents.detectedAt')}
          </Text>
          <Text>{formatTime(i.detected_at, i18n.language)}</Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">
            {t('incidents.reportedAt')}
          </Text>
          <Text>{i.reported_at ? formatTime(i.reported_at, i18n.language) : '—'}</Text>
        </Card>
      </SimpleGrid>
      <Text>{i.description}</Text>
      <Text size="sm">
        {t('incidents.fields')}: {i.fields.map((f) => t(`incidents.fieldNames.${f}`)).join('、')}
      </Text>
      {manage && open && <Affected id={id} onChange={() => void refresh()} />}
      {manage && open && (
        <Card withBorder>
          <Stack gap="xs">
            <ProblemAlert error={notify.error ?? act.error} />
            <Group align="end">
              <Select
                label={t('incidents.channel')}
                data={CHANNELS.map((c) => ({ value: c, label: t(`incidents.channels.${c}`) }))}
                value={channel}
                onChange={setChannel}
              />
              <Button onClick={() => notify.mutate()} loading={notify.isPending} data-testid="incident-notify">
                {t('incidents.notify')}
              </Button>
              {notify.data && (
                <Text size="sm">
                  {t('incidents.notifiedResult', { recorded: notify.data.recorded, none: notify.data.no_contact })}
                </Text>
              )}
            </Group>
            <Group align="end" grow>
              <Select
                label={t('incidents.action')}
                data={ACTIONS.map((a) => ({ value: a, label: t(`incidents.actions.${a}`) }))}
                value={kind}
                onChange={setKind}
              />
              <TextInput
                label={t('incidents.description')}
                value={description}
                onChange={(e) => setDescription(e.currentTarget.value)}
              />
            </Group>
            <Group>
              <Button onClick={() => act.mutate()} loading={act.isPending} data-testid="incident-act">
                {t('incidents.recordAction')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      <Title order={4}>{t('incidents.timeline')}</Title>
      <Timeline bulletSize={14} data-testid="incident-timeline">
        {actions.data?.map((a) => (
          <Timeline.Item key={a.id} title={t(`incidents.actions.${a.kind}`)}>
            <Text size="sm">{a.description}</Text>
            <Text size="xs" c="dimmed">
              {formatTime(a.taken_at, i18n.language)}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}
