import { Badge, Button, Card, Group, Modal, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { ApiProblem, unwrap } from '@/api/problem';
import type { Unit } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { ListTable } from '@/components/list-table';
import { ConfirmButton } from '@/components/confirm-button';

function depth(unit: Unit, all: Unit[]): number {
  let d = 0;
  let parent = unit.parent_id;
  while (parent) {
    d += 1;
    parent = all.find((u) => u.id === parent)?.parent_id;
  }
  return d;
}

function UnitForm({ units, editing, onDone }: { units: Unit[]; editing: Unit | null; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [parent, setParent] = useState<string | null>(null);
  const [code, setCode] = useState(editing?.code ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const parentUnit = units.find((u) => u.id === parent);
  const save = useMutation({
    mutationFn: async () => {
      if (editing) {
        return unwrap(
          await api.PATCH('/api/v1/units/{id}', {
            params: { path: { id: editing.id }, header: { 'If-Match': `"${editing.version}"` } },
            body: { code, name },
          }),
        );
      }
      const kind = parentUnit?.kind === 'subsidiary' ? 'department' : 'subsidiary';
      return unwrap(await api.POST('/api/v1/units', { body: { parent_id: parent, kind, code, name } }));
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['units'] });
      onDone();
    },
  });
  const fields = save.error instanceof ApiProblem ? save.error.fieldErrors() : {};
  return (
    <Stack>
      {!editing && (
        <Select
          label={t('units.parent')}
          data={units
            .filter((u) => u.kind !== 'department')
            .map((u) => ({ value: u.id, label: `${u.name} (${t(`kinds.${u.kind}`)})` }))}
          value={parent}
          onChange={setParent}
          error={fields.parent_id}
          required
        />
      )}
      <TextInput
        label={t('common.code')}
        value={code}
        onChange={(e) => setCode(e.currentTarget.value)}
        error={fields.code}
        required
      />
      <TextInput
        label={t('common.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={fields.name}
        required
      />
      <ProblemAlert error={Object.keys(fields).length ? null : save.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}

export function UnitsPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const units = useQuery({
    queryKey: ['units', 'all'],
    queryFn: async () => unwrap(await api.GET('/api/v1/units', { params: { query: { limit: 500 } } })),
  });
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const all = units.data?.items ?? [];
  const writable = can(me, 'org:write');
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: async (u: Unit) =>
      unwrap(
        await api.DELETE('/api/v1/units/{id}', { params: { path: { id: u.id }, header: { 'If-Match': `"${u.version}"` } } }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['units'] }),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('units.title')}
        </Title>
        {writable && <Button onClick={() => setEditing('new')}>{t('units.new')}</Button>}
      </Group>
      <ProblemAlert error={units.error ?? remove.error} />
      <Card withBorder p={0}>
        <ListTable striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('common.code')}</Table.Th>
              <Table.Th>{t('common.kind')}</Table.Th>
              {writable && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {all.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td style={{ paddingLeft: 12 + depth(u, all) * 24 }}>{u.name}</Table.Td>
                <Table.Td>{u.code}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`kinds.${u.kind}`)}</Badge>
                </Table.Td>
                {writable && (
                  <Table.Td>
                    <Button size="xs" variant="subtle" onClick={() => setEditing(u)}>
                      {t('common.edit')}
                    </Button>
                    {u.kind !== 'group' && (
                      <ConfirmButton
                        size="xs"
                        variant="subtle"
                        message={t('units.confirmDelete')}
                        onConfirm={() => remove.mutate(u)}
                      >
                        {t('common.delete')}
                      </ConfirmButton>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </Card>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('units.new') : t('common.edit')}
      >
        {editing !== null && (
          <UnitForm units={all} editing={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
        )}
      </Modal>
    </Stack>
  );
}
