import { Badge, Button, Group, Modal, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';

import { REWARD_KINDS, useRewards, useSaveReward, type Reward, type RewardKind } from './api';

function RewardForm({ reward, onSaved }: { reward?: Reward; onSaved: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(reward?.name ?? '');
  const [kind, setKind] = useState<RewardKind>(reward?.kind ?? 'gift');
  const [points, setPoints] = useState<number>(reward?.points ?? 500);
  const [stock, setStock] = useState<number | ''>(reward?.stock ?? '');
  const [active, setActive] = useState(reward?.active ?? true);
  const save = useSaveReward(onSaved);
  const body = { name: name.trim(), kind, points, stock: stock === '' ? undefined : stock, active };
  return (
    <Stack>
      <TextInput
        label={t('loyalty.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        maxLength={100}
        required
      />
      <Select
        label={t('loyalty.kind')}
        data={REWARD_KINDS.map((k) => ({ value: k, label: t(`loyalty.rewardKinds.${k}`) }))}
        value={kind}
        onChange={(v) => v && setKind(v as RewardKind)}
        allowDeselect={false}
      />
      <NumberInput
        label={t('loyalty.price')}
        value={points}
        onChange={(v) => setPoints(typeof v === 'number' ? v : 1)}
        min={1}
        allowDecimal={false}
      />
      <NumberInput
        label={t('loyalty.stock')}
        description={t('loyalty.stockHelp')}
        value={stock}
        onChange={(v) => setStock(typeof v === 'number' ? v : '')}
        min={0}
        allowDecimal={false}
      />
      <Switch label={t('loyalty.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
      <ProblemAlert error={save.error} />
      <Group>
        <Button
          loading={save.isPending}
          disabled={!body.name}
          onClick={() => save.mutate({ id: reward?.id, version: reward?.version, body })}
          data-testid="reward-save"
        >
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The rewards catalogue (MKT-4): what points buy, with stock. */
export function RewardsPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const rewards = useRewards();
  const [editing, setEditing] = useState<Reward | 'new' | null>(null);
  const manages = can(me, 'campaigns:manage');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('loyalty.catalogue')}
        </Title>
        {manages && (
          <Button onClick={() => setEditing('new')} data-testid="reward-new">
            {t('loyalty.newReward')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('loyalty.catalogueHelp')}
      </Text>
      <ProblemAlert error={rewards.error} />
      <ListTable striped data-testid="rewards">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('loyalty.name')}</Table.Th>
            <Table.Th>{t('loyalty.kind')}</Table.Th>
            <Table.Th>{t('loyalty.price')}</Table.Th>
            <Table.Th>{t('loyalty.stock')}</Table.Th>
            <Table.Th>{t('loyalty.status')}</Table.Th>
            {manages && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rewards.data?.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text size="sm" c="dimmed">
                  {t('loyalty.noRewards')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rewards.data?.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td>{t(`loyalty.rewardKinds.${r.kind}`)}</Table.Td>
              <Table.Td>{r.points.toLocaleString()}</Table.Td>
              <Table.Td>{r.stock == null ? t('loyalty.unlimited') : r.stock}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={!r.active ? 'gray' : r.stock === 0 ? 'orange' : 'green'}>
                  {t(!r.active ? 'loyalty.inactive' : r.stock === 0 ? 'loyalty.soldOut' : 'loyalty.available')}
                </Badge>
              </Table.Td>
              {manages && (
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => setEditing(r)}>
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('loyalty.newReward') : t('common.edit')}
      >
        {editing !== null && <RewardForm reward={editing === 'new' ? undefined : editing} onSaved={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
