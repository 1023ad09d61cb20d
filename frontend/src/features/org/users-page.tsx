import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { ApiProblem, unwrap } from '@/api/problem';
import { STAFF_ROLES, type Role, type User } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { useColleagues } from '@/lib/use-colleagues';
import { can, useMe } from '@/lib/use-me';
import { useAllUnits } from '@/lib/use-units';
import { formatTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';
import { ListTable } from '@/components/list-table';
import { ConfirmButton } from '@/components/confirm-button';

function UserForm({ editing, onDone }: { editing: User | null; onDone: (saved?: User) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const units = useAllUnits();
  const [username, setUsername] = useState(editing?.username ?? '');
  const [displayName, setDisplayName] = useState(editing?.display_name ?? '');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(editing?.role ?? 'agent');
  const [unitId, setUnitId] = useState<string | null>(editing?.unit_id ?? null);
  const [active, setActive] = useState(editing?.active ?? true);
  const save = useMutation({
    mutationFn: async () => {
      if (editing) {
        return unwrap(
          await api.PATCH('/api/v1/users/{id}', {
            params: { path: { id: editing.id }, header: { 'If-Match': `"${editing.version}"` } },
            body: { display_name: displayName, role, unit_id: unitId, active, password: password || null },
          }),
        );
      }
      return unwrap(
        await api.POST('/api/v1/users', {
          body: { username, display_name: displayName, password, role, unit_id: unitId ?? '' },
        }),
      );
    },
    onSuccess: (saved) => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      onDone(saved);
    },
  });
  const fields = save.error instanceof ApiProblem ? save.error.fieldErrors() : {};
  return (
    <Stack>
      <TextInput
        label={t('users.username')}
        name="username"
        value={username}
        disabled={!!editing}
        onChange={(e) => setUsername(e.currentTarget.value)}
        error={fields.username}
        required
      />
      <TextInput
        label={t('users.displayName')}
        name="display_name"
        value={displayName}
        onChange={(e) => setDisplayName(e.currentTarget.value)}
        error={fields.display_name}
        required
      />
      <PasswordInput
        label={editing ? t('users.newPassword') : t('users.password')}
        name="password"
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={fields.password}
        required={!editing}
      />
      <Select
        label={t('common.role')}
        name="role"
        value={role}
        onChange={(v) => v && setRole(v as Role)}
        error={fields.role}
        data={STAFF_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        allowDeselect={false}
      />
      <Select
        label={t('common.unit')}
        name="unit"
        value={unitId}
        onChange={setUnitId}
        error={fields.unit_id}
        required
        data={(units.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.code})` }))}
      />
      {editing && <Switch label={t('common.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />}
      <ProblemAlert error={Object.keys(fields).length ? null : save.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => onDone()}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}

function OffboardForm({ leaver, onDone }: { leaver: User; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const colleagues = useColleagues();
  const [successors, setSuccessors] = useState<string[]>([]);
  const offboard = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/users/{id}/offboard', {
          params: { path: { id: leaver.id } },
          body: { successor_ids: successors },
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const options = (colleagues.data?.items ?? [])
    .filter((u) => u.id !== leaver.id && ['manager', 'agent', 'sales'].includes(u.role ?? ''))
    .map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})` }));
  return (
    <Stack>
      <Text size="sm">{t('users.offboardHelp')}</Text>
      <MultiSelect label={t('users.successors')} data={options} value={successors} onChange={setSuccessors} searchable />
      <ProblemAlert error={offboard.error} />
      {offboard.data && <Alert color="green">{t('users.offboardDone', offboard.data)}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <ConfirmButton
          onConfirm={() => offboard.mutate()}
          loading={offboard.isPending}
          disabled={!successors.length || !!offboard.data}
          message={t('users.confirmOffboard')}
        >
          {t('users.offboard')}
        </ConfirmButton>
      </Group>
    </Stack>
  );
}

/** Changes an administrator asked that would open clear personal data, for a second person. */
function PendingGrants({ approver }: { approver: boolean }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const grants = useQuery({
    queryKey: ['users', 'grants'],
    queryFn: async () => unwrap(await api.GET('/api/v1/user-grants', { params: { query: { limit: 100 } } })),
  });
  const decide = useMutation({
    mutationFn: async ({ id, approve }: { id: string; approve: boolean }) => {
      const path = { params: { path: { id } } };
      if (approve) return unwrap(await api.POST('/api/v1/user-grants/{id}/approve', path));
      return unwrap(await api.POST('/api/v1/user-grants/{id}/reject', path));
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const items = grants.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={4}>{t('users.grantsTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('users.grantsHelp')}
        </Text>
        <ProblemAlert error={decide.error} />
        <ListTable>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('users.username')}</Table.Th>
              <Table.Th>{t('users.grantChanges')}</Table.Th>
              <Table.Th>{t('users.requestedAt')}</Table.Th>
              {approver && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>{g.username}</Table.Td>
                <Table.Td>
                  {[
                    g.role ? t('users.grantRole', { role: t(`roles.${g.role}`) }) : null,
                    g.activate ? t('users.grantActivate') : null,
                    g.password ? t('users.grantPassword') : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Table.Td>
                <Table.Td>{formatTime(g.requested_at, i18n.language)}</Table.Td>
                {approver && (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="light"
                      loading={decide.isPending}
                      aria-label={`${t('users.approve')} ${g.username}`}
                      onClick={() => decide.mutate({ id: g.id, approve: true })}
                    >
                      {t('users.approve')}
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      loading={decide.isPending}
                      aria-label={`${t('users.reject')} ${g.username}`}
                      onClick={() => decide.mutate({ id: g.id, approve: false })}
                    >
                      {t('users.reject')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </Stack>
    </Card>
  );
}

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const [role, setRole] = useState<string | null>(null);
  const list = useCursorList(['users', role], async (cursor) =>
    unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 50, cursor, role: (role as Role) ?? undefined } } })),
  );
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [leaving, setLeaving] = useState<User | null>(null);
  const [held, setHeld] = useState(false);
  const writable = can(me, 'users:write');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('users.title')}
        </Title>
        <Group>
          <Select
            placeholder={t('common.role')}
            clearable
            value={role}
            onChange={setRole}
            w={180}
            data={STAFF_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          />
          {writable && <Button onClick={() => setEditing('new')}>{t('users.new')}</Button>}
        </Group>
      </Group>
      {held && (
        <Alert color="yellow" withCloseButton closeButtonLabel={t('common.close')} onClose={() => setHeld(false)}>
          {t('users.heldNotice')}
        </Alert>
      )}
      <PendingGrants approver={can(me, 'grants:approve')} />
      <ProblemAlert error={list.error} />
      <Card withBorder p={0}>
        <ListTable striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('users.username')}</Table.Th>
              <Table.Th>{t('users.displayName')}</Table.Th>
              <Table.Th>{t('common.role')}</Table.Th>
              <Table.Th>{t('users.lastLogin')}</Table.Th>
              <Table.Th />
              {writable && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.username}</Table.Td>
                <Table.Td>{u.display_name}</Table.Td>
                <Table.Td>{u.role ? t(`roles.${u.role}`) : '—'}</Table.Td>
                <Table.Td>{formatTime(u.last_login_at, i18n.language)}</Table.Td>
                <Table.Td>
                  {!u.active && <Badge color="gray">{t('users.disabled')}</Badge>}
                  {u.locked && <Badge color="red">{t('users.locked')}</Badge>}
                  {u.pending_grant && <Badge color="yellow">{t('users.awaitingApproval')}</Badge>}
                </Table.Td>
                {writable && (
                  <Table.Td>
                    <Button size="xs" variant="subtle" onClick={() => setEditing(u)}>
                      {t('common.edit')}
                    </Button>
                    {u.active && u.id !== me?.id && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => setLeaving(u)}>
                        {t('users.offboard')}
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </Card>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('users.new') : t('common.edit')}
      >
        {editing !== null && (
          <UserForm
            editing={editing === 'new' ? null : editing}
            onDone={(saved) => {
              setEditing(null);
              setHeld(!!saved?.pending_grant);
            }}
          />
        )}
      </Modal>
      <Modal opened={leaving !== null} onClose={() => setLeaving(null)} title={t('users.offboardTitle')}>
        {leaving && <OffboardForm leaver={leaving} onDone={() => setLeaving(null)} />}
      </Modal>
    </Stack>
  );
}
