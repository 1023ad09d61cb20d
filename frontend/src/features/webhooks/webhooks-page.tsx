import { Alert, Badge, Button, Card, Code, Group, Modal, MultiSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { ifMatch } from '@/api/etag';
import { unwrap } from '@/api/problem';
import { TOPIC_FILTERS, type TopicFilter } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';
import { ListTable } from '@/components/list-table';
import { ConfirmButton } from '@/components/confirm-button';

function Deliveries({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const list = useCursorList(['webhooks', id, 'deliveries'], async (cursor) =>
    unwrap(await api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { cursor, limit: 50 } } })),
  );
  const color = (s: string) => (s === 'delivered' ? 'green' : s === 'failed' ? 'red' : 'yellow');
  return (
    <Stack>
      <ProblemAlert error={list.error} />
      <ListTable striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('webhooks.topic')}</Table.Th>
            <Table.Th>{t('webhooks.status')}</Table.Th>
            <Table.Th>{t('webhooks.attempts')}</Table.Th>
            <Table.Th>{t('webhooks.lastAnswer')}</Table.Th>
            <Table.Th>{t('webhooks.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.items.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>
                <Code>{d.topic}</Code>
              </Table.Td>
              <Table.Td>
                <Badge color={color(d.status)}>{d.status}</Badge>
              </Table.Td>
              <Table.Td>{d.attempts}</Table.Td>
              <Table.Td>{d.last_status ?? d.last_error ?? '—'}</Table.Td>
              <Table.Td>{formatTime(d.created_at, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      {list.items.length === 0 && !list.isFetching && <Text c="dimmed">{t('common.none')}</Text>}
    </Stack>
  );
}

export function WebhooksPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const list = useCursorList(['webhooks'], async (cursor) =>
    unwrap(await api.GET('/api/v1/webhooks', { params: { query: { limit: 50, cursor } } })),
  );
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState('');
  const [topics, setTopics] = useState<TopicFilter[]>(['customer.*']);
  const [secret, setSecret] = useState<string | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/webhooks', { body: { url, topics } })),
    onSuccess: (data) => {
      setSecret(data.secret);
      void qc.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const disable = useMutation({
    mutationFn: async (w: { id: string; version: number }) =>
      unwrap(await api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: w.id }, header: ifMatch(w.version) } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  const close = () => {
    setOpen(false);
    setSecret(null);
    setUrl('');
    create.reset();
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('webhooks.title')}
        </Title>
        <Button onClick={() => setOpen(true)}>{t('webhooks.new')}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('webhooks.help')}
      </Text>
      <ProblemAlert error={list.error ?? disable.error} />
      <Card withBorder p={0}>
        <ListTable striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>URL</Table.Th>
              <Table.Th>{t('webhooks.topics')}</Table.Th>
              <Table.Th>{t('webhooks.created')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((w) => (
              <Table.Tr key={w.id}>
                <Table.Td>
                  <Code>{w.url}</Code>
                </Table.Td>
                <Table.Td>
                  {w.topics.map((tp) => (
                    <Badge key={tp} variant="light" mr={4}>
                      {tp}
                    </Badge>
                  ))}
                </Table.Td>
                <Table.Td>{formatTime(w.created_at, i18n.language)}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button size="xs" variant="default" onClick={() => setViewing(w.id)}>
                      {t('webhooks.deliveries')}
                    </Button>
                    {w.active ? (
                      <ConfirmButton
                        size="xs"
                        variant="light"
                        message={t('webhooks.confirmDisable', { url: w.url })}
                        onConfirm={() => disable.mutate(w)}
                        data-testid="webhook-disable"
                      >
                        {t('webhooks.disable')}
                      </ConfirmButton>
                    ) : (
                      <Badge color="gray">{t('webhooks.disabled')}</Badge>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </Card>
      <Modal opened={open} onClose={close} title={t('webhooks.new')}>
        {secret ? (
          <Stack>
            <Alert color="yellow">{t('webhooks.secretOnce')}</Alert>
            <Code block data-testid="webhook-secret">
              {secret}
            </Code>
            <Button onClick={close}>{t('common.done')}</Button>
          </Stack>
        ) : (
          <Stack>
            <TextInput
              label="URL"
              placeholder="https://example.com/hooks/guanxi"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
            />
            <MultiSelect
              label={t('webhooks.topics')}
              data={[...TOPIC_FILTERS]}
              value={topics}
              onChange={(v) => setTopics(v as TopicFilter[])}
            />
            <ProblemAlert error={create.error} />
            <Button onClick={() => create.mutate()} loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Stack>
        )}
      </Modal>
      <Modal opened={!!viewing} onClose={() => setViewing(null)} title={t('webhooks.deliveries')} size="xl">
        {viewing && <Deliveries id={viewing} />}
      </Modal>
    </Stack>
  );
}
