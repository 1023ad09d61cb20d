import { Alert, Badge, Button, Card, Checkbox, Code, Group, Modal, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { ifMatch } from '@/api/etag';
import { ApiProblem, unwrap } from '@/api/problem';
import { GRANTABLE_SCOPES, type GrantableScope } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';
import { ListTable } from '@/components/list-table';
import { ConfirmButton } from '@/components/confirm-button';

export function ApiKeysPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const list = useCursorList(['api-keys'], async (cursor) =>
    unwrap(await api.GET('/api/v1/api-keys', { params: { query: { limit: 50, cursor } } })),
  );
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<GrantableScope[]>(['org:read']);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/api-keys', { body: { name, scopes } })),
    onSuccess: (data) => {
      setCreated(data.key);
      void qc.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: async (k: { id: string; version: number }) =>
      unwrap(await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: k.id }, header: ifMatch(k.version) } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const close = () => {
    setOpen(false);
    setCreated(null);
    setName('');
    create.reset();
  };
  const fields = create.error instanceof ApiProblem ? create.error.fieldErrors() : {};
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('apiKeys.title')}
        </Title>
        <Button onClick={() => setOpen(true)}>{t('apiKeys.new')}</Button>
      </Group>
      <ProblemAlert error={list.error ?? revoke.error} />
      <Card withBorder p={0}>
        <ListTable striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('apiKeys.prefix')}</Table.Th>
              <Table.Th>{t('apiKeys.scopes')}</Table.Th>
              <Table.Th>{t('apiKeys.lastUsed')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((k) => (
              <Table.Tr key={k.id}>
                <Table.Td>{k.name}</Table.Td>
                <Table.Td>
                  <Code>{k.prefix}…</Code>
                </Table.Td>
                <Table.Td>
                  {k.scopes.map((s) => (
                    <Badge key={s} variant="light" mr={4}>
                      {s}
                    </Badge>
                  ))}
                </Table.Td>
                <Table.Td>{formatTime(k.last_used_at, i18n.language)}</Table.Td>
                <Table.Td>
                  {k.revoked_at ? (
                    <Badge color="gray">{t('apiKeys.revoked')}</Badge>
                  ) : (
                    <ConfirmButton
                      size="xs"
                      variant="subtle"
                      message={t('apiKeys.confirmRevoke', { name: k.name })}
                      onConfirm={() => revoke.mutate(k)}
                      data-testid="api-key-revoke"
                    >
                      {t('apiKeys.revoke')}
                    </ConfirmButton>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </Card>
      <Modal opened={open} onClose={close} title={t('apiKeys.new')}>
        {created ? (
          <Stack>
            <Alert color="yellow">{t('apiKeys.shownOnce')}</Alert>
            <Code block data-testid="new-api-key">
              {created}
            </Code>
            <Button onClick={close}>OK</Button>
          </Stack>
        ) : (
          <Stack>
            <TextInput
              label={t('common.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fields.name}
              required
            />
            <Checkbox.Group
              label={t('apiKeys.scopes')}
              value={scopes}
              onChange={(v) => setScopes(v as GrantableScope[])}
              error={fields.scopes}
            >
              <Group mt="xs">
                {GRANTABLE_SCOPES.map((s) => (
                  <Checkbox key={s} value={s} label={s} />
                ))}
              </Group>
            </Checkbox.Group>
            <ProblemAlert error={Object.keys(fields).length ? null : create.error} />
            <Button onClick={() => create.mutate()} loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
