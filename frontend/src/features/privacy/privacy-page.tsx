import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { PURPOSES, purposeLabel } from '@/lib/purposes';
import { formatTime } from '@/lib/format';

import { PartnersTab } from './partners-tab';
import { RetentionTab } from './retention-tab';
import { ListTable } from '@/components/list-table';
import { useRequestQueue, type RequestKind } from './api';
import { CompleteRequestDialog } from './request-dialogs';
import { CustomerRef } from '@/components/customer-ref';

/** The data-subject request queue with due dates; compliance carries requests out. */
function RequestsTab() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const [overdue, setOverdue] = useState(false);
  const requests = useRequestQueue(overdue);
  const [completing, setCompleting] = useState<{ id: string; kind: RequestKind } | null>(null);
  const download = useMutation({
    meta: { toast: false },
    mutationFn: async (id: string) => {
      const doc = unwrap(await api.GET('/api/v1/privacy-requests/{id}/copy', { params: { path: { id } } }));
      const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `personal-data-${id}.json`;
      a.click();
      URL.revokeObjectURL(url);
    },
  });
  const manage = can(me, 'privacy:manage');
  return (
    <Stack data-testid="privacy-requests">
      <Checkbox label={t('privacy.onlyOverdue')} checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} />
      <ProblemAlert error={requests.error ?? download.error} />
      {requests.data?.items.length === 0 && <Text c="dimmed">{t('privacy.none')}</Text>}
      {completing && <CompleteRequestDialog request={completing} onClose={() => setCompleting(null)} />}
      <ListTable striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('privacy.kind')}</Table.Th>
            <Table.Th>{t('privacy.customer')}</Table.Th>
            <Table.Th>{t('privacy.due')}</Table.Th>
            <Table.Th>{t('privacy.status')}</Table.Th>
            <Table.Th>{t('privacy.outcome')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.data?.items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{t(`privacy.kinds.${r.kind}`)}</Table.Td>
              <Table.Td>
                <CustomerRef customer={r.customer} />
              </Table.Td>
              <Table.Td>
                {formatTime(r.due_at, i18n.language)} {r.overdue && <Badge color="red">{t('privacy.overdue')}</Badge>}
              </Table.Td>
              <Table.Td>
                <Badge variant="light">{t(`privacy.statuses.${r.status}`)}</Badge>
              </Table.Td>
              <Table.Td>{r.outcome ?? ''}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  {manage && r.kind === 'access' && (
                    <Button size="compact-xs" variant="default" onClick={() => download.mutate(r.id)}>
                      {t('privacy.copy')}
                    </Button>
                  )}
                  {manage && r.status === 'open' && (
                    <Button size="compact-xs" onClick={() => setCompleting(r)} data-testid="privacy-complete">
                      {t('privacy.complete')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </Stack>
  );
}

/** Versioned privacy notices; compliance publishes new versions. */
function NoticesTab() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const client = useQueryClient();
  const notices = useQuery({
    queryKey: ['privacy-notices'],
    queryFn: async () => unwrap(await api.GET('/api/v1/privacy-notices', { params: { query: { limit: 100 } } })),
  });
  const [form, setForm] = useState({ language: 'zh-CN', title: '', method: '', scope: '', retention: '', body: '' });
  const [purposes, setPurposes] = useState<string[]>(['marketing_sms', 'intra_group_sharing']);
  const publish = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/privacy-notices', { body: { ...form, purposes } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['privacy-notices'] }),
  });
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [k]: e.currentTarget.value });
  return (
    <Stack>
      <ProblemAlert error={notices.error} />
      <ListTable striped>
        <Table.Tbody>
          {notices.data?.items.map((n) => (
            <Table.Tr key={n.id}>
              <Table.Td>{n.title}</Table.Td>
              <Table.Td>{n.language}</Table.Td>
              <Table.Td>
                {t('privacy.version')} {n.version}
              </Table.Td>
              <Table.Td>{n.purposes.map((p) => purposeLabel(t, p)).join(', ')}</Table.Td>
              <Table.Td>{formatTime(n.created_at, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      {can(me, 'privacy:manage') && (
        <Card withBorder>
          <Stack>
            <Title order={5}>{t('privacy.publish')}</Title>
            <Group grow>
              <Select
                label={t('privacy.language')}
                data={['zh-CN', 'en']}
                value={form.language}
                onChange={(v) => setForm({ ...form, language: v ?? 'zh-CN' })}
              />
              <TextInput label={t('privacy.noticeTitle')} value={form.title} onChange={set('title')} />
            </Group>
            <Group>
              {PURPOSES.map((p) => (
                <Checkbox
                  key={p}
                  label={purposeLabel(t, p)}
                  checked={purposes.includes(p)}
                  onChange={(e) => setPurposes(e.currentTarget.checked ? [...purposes, p] : purposes.filter((x) => x !== p))}
                />
              ))}
            </Group>
            <Group grow>
              <TextInput label={t('privacy.method')} value={form.method} onChange={set('method')} />
              <TextInput label={t('privacy.scope')} value={form.scope} onChange={set('scope')} />
              <TextInput label={t('privacy.retention')} value={form.retention} onChange={set('retention')} />
            </Group>
            <Textarea label={t('privacy.body')} value={form.body} onChange={set('body')} autosize minRows={3} />
            <ProblemAlert error={publish.error} />
            <Button onClick={() => publish.mutate()} loading={publish.isPending} data-testid="notice-publish">
              {t('privacy.publish')}
            </Button>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

function SharesTab() {
  const { t, i18n } = useTranslation();
  const shares = useQuery({
    queryKey: ['shares'],
    queryFn: async () => unwrap(await api.GET('/api/v1/shares', { params: { query: { limit: 200 } } })),
  });
  return (
    <Stack>
      <ProblemAlert error={shares.error} />
      {shares.data?.items.length === 0 && <Text c="dimmed">{t('privacy.none')}</Text>}
      <ListTable striped>
        <Table.Tbody>
          {shares.data?.items.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{formatTime(s.shared_at, i18n.language)}</Table.Td>
              <Table.Td>{s.partner_name}</Table.Td>
              <Table.Td>{s.customer_id ? <CustomerRef customer={s.customer} /> : '—'}</Table.Td>
              <Table.Td>{s.purpose}</Table.Td>
              <Table.Td>{s.fields.join(', ')}</Table.Td>
              <Table.Td>
                {t('privacy.count')} {s.count}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </Stack>
  );
}

export function PrivacyPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const partnersVisible = can(me, 'privacy:manage') || can(me, 'shares:read');
  // The open tab is in the address, so a link can lead straight to it (`?tab=notices`).
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'requests';
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('privacy.title')}
      </Title>
      <Tabs
        value={tab}
        onChange={(v) => setParams(v && v !== 'requests' ? { tab: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          {can(me, 'privacy:requests') && <Tabs.Tab value="requests">{t('privacy.requests')}</Tabs.Tab>}
          <Tabs.Tab value="notices">{t('privacy.notices')}</Tabs.Tab>
          {partnersVisible && <Tabs.Tab value="partners">{t('privacy.partners')}</Tabs.Tab>}
          {can(me, 'shares:read') && <Tabs.Tab value="shares">{t('privacy.shares')}</Tabs.Tab>}
          <Tabs.Tab value="retention">{t('retention.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="requests" pt="md">
          <RequestsTab />
        </Tabs.Panel>
        <Tabs.Panel value="notices" pt="md">
          <NoticesTab />
        </Tabs.Panel>
        <Tabs.Panel value="partners" pt="md">
          <PartnersTab />
        </Tabs.Panel>
        <Tabs.Panel value="shares" pt="md">
          <SharesTab />
        </Tabs.Panel>
        <Tabs.Panel value="retention" pt="md">
          <RetentionTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
