import { Button, Card, Group, NumberInput, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';

import { redeemable, usePoints, useRedeem, useRewards } from './api';

/** A customer's points (MKT-4): the balance, spending it on a reward, and the ledger. */
export function PointsTab({ customerId, writable }: { customerId: string; writable: boolean }) {
  const { t, i18n } = useTranslation();
  const points = usePoints(customerId);
  const rewards = useRewards();
  const redeem = useRedeem(customerId);
  const [rewardId, setRewardId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState(1);
  const account = points.data;
  if (!account) return <ProblemAlert error={points.error} />;
  const offer = redeemable(rewards.data ?? [], account.balance);
  return (
    <Stack data-testid="points-tab">
      <Group align="flex-end">
        <Card withBorder p="sm">
          <Text size="xs" c="dimmed">
            {t('loyalty.balance')}
          </Text>
          <Text size="xl" fw={700} data-testid="points-balance">
            {account.balance.toLocaleString(i18n.language)}
          </Text>
        </Card>
        {writable && (
          <Group align="flex-end">
            <Select
              label={t('loyalty.reward')}
              placeholder={offer.length ? t('loyalty.choose') : t('loyalty.nothingAffordable')}
              data={offer.map((r) => ({ value: r.id, label: t('loyalty.rewardOption', { name: r.name, points: r.points }) }))}
              value={rewardId}
              onChange={setRewardId}
              disabled={offer.length === 0}
            />
            <NumberInput
              label={t('loyalty.quantity')}
              value={quantity}
              onChange={(v) => setQuantity(typeof v === 'number' ? v : 1)}
              min={1}
              max={100}
              w={100}
              allowDecimal={false}
            />
            <Button
              disabled={!rewardId}
              loading={redeem.isPending}
              onClick={() => rewardId && redeem.mutate({ reward_id: rewardId, quantity }, { onSuccess: () => setRewardId(null) })}
            >
              {t('loyalty.redeem')}
            </Button>
          </Group>
        )}
      </Group>
      <ProblemAlert error={redeem.error ?? rewards.error} />
      <ListTable minWidth={520} data-testid="points-ledger">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('loyalty.when')}</Table.Th>
            <Table.Th>{t('loyalty.entry')}</Table.Th>
            <Table.Th>{t('loyalty.points')}</Table.Th>
            <Table.Th>{t('loyalty.balanceAfter')}</Table.Th>
            <Table.Th>{t('loyalty.expires')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {account.entries.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text size="sm" c="dimmed">
                  {t('loyalty.noEntries')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {account.entries.items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{formatTime(e.created_at, i18n.language)}</Table.Td>
              <Table.Td>{t(`loyalty.kinds.${e.kind}`)}</Table.Td>
              <Table.Td c={e.points < 0 ? 'red.9' : 'teal.9'}>{e.points > 0 ? `+${e.points}` : e.points}</Table.Td>
              <Table.Td>{e.balance_after}</Table.Td>
              <Table.Td>{e.expires_at ? formatTime(e.expires_at, i18n.language) : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </Stack>
  );
}
