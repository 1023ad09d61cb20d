import { Button, Card, Group, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { api } from '@/api/client';
import { ApiProblem, unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { useCursorList, type CursorPage } from '@/lib/use-cursor-list';
import { ListTable } from '@/components/list-table';
import {
  contactKindValues,
  directionValues,
  feedbackKindValues,
  preferenceCategoryValues,
  salesChannelValues,
} from '@/api/schema';

type Kind = 'purchases' | 'preferences' | 'feedback' | 'contacts';

function useRecords(customerId: string, kind: Kind) {
  // Each tab casts the items to its own record type; the pages differ only in that.
  return useCursorList<unknown>(['customers', customerId, kind], async (cursor): Promise<CursorPage<unknown>> => {
    const params = { params: { path: { id: customerId }, query: { limit: 100, cursor } } };
    switch (kind) {
      case 'purchases':
        return unwrap(await api.GET('/api/v1/customers/{id}/purchases', params));
      case 'preferences':
        return unwrap(await api.GET('/api/v1/customers/{id}/preferences', params));
      case 'feedback':
        return unwrap(await api.GET('/api/v1/customers/{id}/feedback', params));
      case 'contacts':
        return unwrap(await api.GET('/api/v1/customers/{id}/contacts', params));
    }
  });
}

function useAdd(customerId: string, kind: Kind, post: () => Promise<unknown>, reset: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: post,
    onSuccess: () => {
      reset();
      void qc.invalidateQueries({ queryKey: ['customers'] });
      void qc.invalidateQueries({ queryKey: ['customers', customerId, kind] });
    },
  });
}

function Section({
  form,
  table,
  error,
  more,
}: {
  form: ReactNode;
  table: ReactNode;
  error: unknown;
  more: ReturnType<typeof useRecords>;
}) {
  const { t } = useTranslation();
  return (
    <Stack>
      {form}
      <ProblemAlert error={error instanceof ApiProblem && error.problem.errors?.length ? error : error} />
      {table}
      {more.hasNextPage && (
        <Button variant="default" onClick={() => void more.fetchNextPage()}>
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}

const today = () => new Date().toISOString().slice(0, 10);

/** Spend per month from the first purchase to the last, months without a purchase at 0 (a gap
 * is information), the latest 24 months at most. */
export function monthlySpend(items: { amount_fen: number; purchased_at: string }[]): { month: string; total: number }[] {
  if (items.length === 0) return [];
  const byMonth = new Map<string, number>();
  for (const p of items)
    byMonth.set(p.purchased_at.slice(0, 7), (byMonth.get(p.purchased_at.slice(0, 7)) ?? 0) + p.amount_fen / 100);
  const months = [...byMonth.keys()].sort();
  const [first, last] = [months[0]!, months[months.length - 1]!];
  const out: { month: string; total: number }[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push({ month: key, total: Math.round((byMonth.get(key) ?? 0) * 100) / 100 });
    if (key >= last) break;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out.slice(-24);
}
/** Now as a `datetime-local` value (the reader's clock, to the minute). */
const nowLocal = () => {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
};
const yuan = (fen: number) => (fen / 100).toLocaleString(undefined, { minimumFractionDigits: 2 });

export function PurchasesTab({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const list = useRecords(customerId, 'purchases');
  const [product, setProduct] = useState('');
  const [amount, setAmount] = useState<number | string>('');
  const [channel, setChannel] = useState<string | null>('store');
  const [date, setDate] = useState(today());
  const add = useAdd(
    customerId,
    'purchases',
    async () =>
      unwrap(
        await api.POST('/api/v1/customers/{id}/purchases', {
          params: { path: { id: customerId } },
          body: {
            product,
            amount_fen: Math.round(Number(amount) * 100),
            channel: channel as 'store',
            purchased_at: `${date}T12:00:00Z`,
          },
        }),
      ),
    () => {
      setProduct('');
      setAmount('');
    },
  );
  type Purchase = { id: string; product: string; amount_fen: number; currency: string; channel: string; purchased_at: string };
  // Newest first, whatever order the pages came in.
  const items = [...(list.items as Purchase[])].sort((a, b) => b.purchased_at.localeCompare(a.purchased_at));
  const chart = monthlySpend(items);
  return (
    <Section
      more={list}
      error={add.error ?? list.error}
      form={
        canWrite && (
          <Group align="end">
            <TextInput label={t('records.product')} value={product} onChange={(e) => setProduct(e.currentTarget.value)} />
            <NumberInput label={t('records.amount')} value={amount} onChange={setAmount} decimalScale={2} w={140} />
            <Select
              label={t('records.channel')}
              value={channel}
              onChange={setChannel}
              w={130}
              allowDeselect={false}
              data={salesChannelValues.map((v) => ({ value: v, label: t(`enums.sales_channel.${v}`) }))}
            />
            <TextInput
              label={t('records.purchasedAt')}
              type="date"
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
            />
            <Button onClick={() => add.mutate()} loading={add.isPending}>
              {t('records.add')}
            </Button>
          </Group>
        )
      }
      table={
        <>
          {chart.length > 0 && (
            <Card withBorder>
              <Title order={5} mb="xs">
                {t('records.spendByMonth')}
              </Title>
              <ResponsiveContainer width="100%" height={180}>
                <BarChart data={chart}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="month" />
                  <YAxis />
                  <Tooltip />
                  <Bar dataKey="total" fill="#40c057" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </Card>
          )}
          {list.isSuccess && items.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('records.noPurchases')}
            </Text>
          )}
          <ListTable striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('records.purchasedAt')}</Table.Th>
                <Table.Th>{t('records.product')}</Table.Th>
                <Table.Th>{t('records.channel')}</Table.Th>
                <Table.Th ta="right">{t('records.amountColumn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{formatTime(p.purchased_at, i18n.language)}</Table.Td>
                  <Table.Td>{p.product}</Table.Td>
                  <Table.Td>{t(`enums.sales_channel.${p.channel}`)}</Table.Td>
                  <Table.Td ta="right">
                    {p.currency} {yuan(p.amount_fen)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ListTable>
        </>
      }
    />
  );
}

export function PreferencesTab({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const list = useRecords(customerId, 'preferences');
  const [category, setCategory] = useState<string | null>('interest');
  const [value, setValue] = useState('');
  const add = useAdd(
    customerId,
    'preferences',
    async () =>
      unwrap(
        await api.POST('/api/v1/customers/{id}/preferences', {
          params: { path: { id: customerId } },
          body: { category: category as 'interest', value },
        }),
      ),
    () => setValue(''),
  );
  const items = list.items as { id: string; category: string; value: string }[];
  return (
    <Section
      more={list}
      error={add.error ?? list.error}
      form={
        canWrite && (
          <Group align="end">
            <Select
              label={t('records.category')}
              value={category}
              onChange={setCategory}
              allowDeselect={false}
              data={preferenceCategoryValues.map((v) => ({ value: v, label: t(`enums.pref.${v}`) }))}
            />
            <TextInput label={t('records.value')} value={value} onChange={(e) => setValue(e.currentTarget.value)} />
            <Button onClick={() => add.mutate()} loading={add.isPending}>
              {t('records.add')}
            </Button>
          </Group>
        )
      }
      table={
        <ListTable striped>
          <Table.Tbody>
            {items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{t(`enums.pref.${p.category}`)}</Table.Td>
                <Table.Td>{p.value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      }
    />
  );
}

export function FeedbackTab({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const list = useRecords(customerId, 'feedback');
  const [kind, setKind] = useState<string | null>('opinion');
  const [channel, setChannel] = useState<string | null>('call');
  const [content, setContent] = useState('');
  const add = useAdd(
    customerId,
    'feedback',
    async () =>
      unwrap(
        await api.POST('/api/v1/customers/{id}/feedback', {
          params: { path: { id: customerId } },
          body: { kind: kind as 'opinion', channel: channel as 'call', content },
        }),
      ),
    () => setContent(''),
  );
  const items = list.items as { id: string; kind: string; content: string; created_at: string }[];
  return (
    <Section
      more={list}
      error={add.error ?? list.error}
      form={
        canWrite && (
          <Group align="end">
            <Select
              label={t('records.kind')}
              value={kind}
              onChange={setKind}
              allowDeselect={false}
              w={140}
              data={feedbackKindValues.map((v) => ({ value: v, label: t(`enums.feedback.${v}`) }))}
            />
            <Select
              label={t('records.channel')}
              value={channel}
              onChange={setChannel}
              allowDeselect={false}
              w={120}
              data={contactKindValues.map((v) => ({ value: v, label: t(`enums.contact.${v}`) }))}
            />
            <TextInput
              label={t('records.content')}
              value={content}
              onChange={(e) => setContent(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button onClick={() => add.mutate()} loading={add.isPending}>
              {t('records.add')}
            </Button>
          </Group>
        )
      }
      table={
        <ListTable striped>
          <Table.Tbody>
            {items.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td>{formatTime(f.created_at, i18n.language)}</Table.Td>
                <Table.Td>{t(`enums.feedback.${f.kind}`)}</Table.Td>
                <Table.Td>{f.content}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      }
    />
  );
}

export function ContactsTab({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const list = useRecords(customerId, 'contacts');
  const [kind, setKind] = useState<string | null>('call');
  const [direction, setDirection] = useState<string | null>('outbound');
  const [reached, setReached] = useState(true);
  const [summary, setSummary] = useState('');
  // A logged call is often one that came in earlier: when it happened is part of the form.
  const [when, setWhen] = useState(nowLocal());
  const add = useAdd(
    customerId,
    'contacts',
    async () =>
      unwrap(
        await api.POST('/api/v1/customers/{id}/contacts', {
          params: { path: { id: customerId } },
          body: {
            kind: kind as 'call',
            direction: direction as 'outbound',
            reached,
            summary,
            occurred_at: new Date(when).toISOString(),
          },
        }),
      ),
    () => {
      setSummary('');
      setWhen(nowLocal());
    },
  );
  const items = list.items as {
    id: string;
    kind: string;
    direction: string;
    reached: boolean;
    summary: string;
    occurred_at: string;
  }[];
  return (
    <Section
      more={list}
      error={add.error ?? list.error}
      form={
        canWrite && (
          <Group align="end">
            <Select
              label={t('records.kind')}
              value={kind}
              onChange={setKind}
              allowDeselect={false}
              w={120}
              data={contactKindValues.map((v) => ({ value: v, label: t(`enums.contact.${v}`) }))}
            />
            <Select
              label={t('records.direction')}
              value={direction}
              onChange={setDirection}
              allowDeselect={false}
              w={120}
              data={directionValues.map((v) => ({ value: v, label: t(`enums.direction.${v}`) }))}
            />
            <TextInput
              label={t('records.occurredAt')}
              type="datetime-local"
              value={when}
              max={nowLocal()}
              onChange={(e) => setWhen(e.currentTarget.value)}
              data-testid="contact-when"
            />
            <Switch label={t('records.reached')} checked={reached} onChange={(e) => setReached(e.currentTarget.checked)} />
            <TextInput
              label={t('records.summary')}
              value={summary}
              onChange={(e) => setSummary(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button onClick={() => add.mutate()} loading={add.isPending}>
              {t('records.add')}
            </Button>
          </Group>
        )
      }
      table={
        <ListTable striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('records.occurredAt')}</Table.Th>
              <Table.Th>{t('records.kind')}</Table.Th>
              <Table.Th>{t('records.reached')}</Table.Th>
              <Table.Th>{t('records.summary')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{formatTime(c.occurred_at, i18n.language)}</Table.Td>
                <Table.Td>
                  {t(`enums.contact.${c.kind}`)} · {t(`enums.direction.${c.direction}`)}
                </Table.Td>
                <Table.Td>{c.reached ? '✓' : '✗'}</Table.Td>
                <Table.Td>{c.summary}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      }
    />
  );
}
