import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue, useIntersection } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { api } from '@/api/client';
import type { components } from '@/api/schema';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { formatTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';

import { countText, customerKeys, filterQuery, LIFECYCLES, useCustomerCount } from './api';
import { BulkBar } from './bulk-bar';
import { CustomerForm } from './customer-form';
import { ExportDialog } from './export-dialog';
import { ListTable } from '@/components/list-table';

export function CustomersPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const navigate = useNavigate();
  // The search lives in the address: it can be shared, and Back returns to it.
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const tier = params.get('tier') ?? '';
  const lifecycle = params.get('lifecycle') ?? '';
  const setFilter = (name: 'q' | 'tag' | 'tier' | 'lifecycle', value: string) =>
    setParams(
      (p) => {
        if (value) p.set(name, value);
        else p.delete(name);
        return p;
      },
      { replace: true },
    );
  const [filters] = useDebouncedValue({ q: q.trim(), tag: tag.trim(), tier, lifecycle }, 300);
  // Numbers are stored encrypted and found only whole: part of one is explained, not searched
  // (and not silently dropped, which listed everyone).
  const digits = filters.q.replace(/[\s+-]/g, '');
  const partialNumber = /^\d+$/.test(digits) && digits.length < 11;
  const count = useCustomerCount(filters, !partialNumber);
  // Sorted by an indexed column only (name, or newest first); a search defaults to names.
  const sortParam = params.get('sort');
  const sort: Sort = sortParam === 'name' || sortParam === '-created' ? sortParam : filters.q ? 'name' : '-created';
  const sortBy = (s: Sort) =>
    setParams(
      (p) => {
        p.set('sort', s);
        return p;
      },
      { replace: true },
    );
  const list = useCursorList(
    [...customerKeys.list(filters), sort],
    async (cursor) =>
      unwrap(
        await api.GET('/api/v1/customers', {
          params: {
            query: {
              limit: 50,
              cursor,
              sort,
              ...filterQuery(filters),
            },
          },
        }),
      ),
    !partialNumber,
  );
  // Infinite scroll: the next page loads when the end of the table comes into view.
  const { ref, entry } = useIntersection({ threshold: 0.1 });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (entry?.isIntersecting && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [entry?.isIntersecting, hasNextPage, isFetchingNextPage, fetchNextPage]);
  const [creating, setCreating] = useState(false);
  // Rows picked for a bulk change (kept while the list scrolls; cleared after the change).
  const writable = can(me, 'customers:write');
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  // The customer page's back link returns to this list with its search.
  const back = { list: params.toString() ? `?${params.toString()}` : '' };
  const [exporting, setExporting] = useState(false);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('customers.title')}
        </Title>
        <Group>
          <Button variant="default" onClick={() => navigate('/customers/quality')}>
            {t('quality.title')}
          </Button>
          {can(me, 'customers:import') && (
            <Button variant="default" onClick={() => navigate('/customers/import')}>
              {t('import.title')}
            </Button>
          )}
          {can(me, 'customers:export') && (
            <Button variant="default" onClick={() => setExporting(true)}>
              {t('export.title')}
            </Button>
          )}
          {can(me, 'customers:write') && <Button onClick={() => setCreating(true)}>{t('customers.new')}</Button>}
        </Group>
      </Group>
      <Group>
        <TextInput
          aria-label={t('customers.search')}
          placeholder={t('customers.searchHint')}
          description={t('customers.searchHelp')}
          w={360}
          value={q}
          onChange={(e) => setFilter('q', e.currentTarget.value)}
        />
        <TextInput
          mt="auto"
          aria-label={t('customers.filterTag')}
          placeholder={t('customers.filterTag')}
          value={tag}
          onChange={(e) => setFilter('tag', e.currentTarget.value)}
        />
        <Select
          mt="auto"
          aria-label={t('customers.filterTier')}
          placeholder={t('customers.filterTier')}
          data={['A', 'B', 'C', 'D'].map((x) => ({ value: x, label: t('tiers.tierName', { tier: x }) }))}
          value={tier || null}
          onChange={(v) => setFilter('tier', v ?? '')}
          clearable
          w={140}
          data-testid="filter-tier"
        />
        <Select
          mt="auto"
          aria-label={t('customers.filterLifecycle')}
          placeholder={t('customers.filterLifecycle')}
          data={LIFECYCLES.map((x) => ({ value: x, label: t(`tiers.lifecycles.${x}`) }))}
          value={lifecycle || null}
          onChange={(v) => setFilter('lifecycle', v ?? '')}
          clearable
          w={160}
          data-testid="filter-lifecycle"
        />
        {count.data && (
          <Text size="sm" c="dimmed" mt="auto" data-testid="customer-count">
            {t('customers.count', { count: count.data.count, shown: countText(count.data, i18n.language) })}
          </Text>
        )}
      </Group>
      {partialNumber && (
        <Alert color="blue" data-testid="partial-number">
          {t('customers.partialNumber', { count: digits.length })}
        </Alert>
      )}
      {selected.length > 0 && <BulkBar ids={selected} onDone={() => setSelected([])} />}
      <ProblemAlert error={list.error} />
      <Card withBorder p={0}>
        <ListTable striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <SortableTh label={t('customers.name')} active={sort === 'name'} onSort={() => sortBy('name')} />
              <Table.Th>{t('customers.mobile')}</Table.Th>
              <Table.Th>{t('customers.nationalId')}</Table.Th>
              <Table.Th>{t('customers.tags')}</Table.Th>
              <Table.Th>{t('customers.source')}</Table.Th>
              <SortableTh
                label={t('customers.created')}
                active={sort === '-created'}
                onSort={() => sortBy('-created')}
                descending
              />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(partialNumber ? [] : list.items).map((c) => (
              <Table.Tr key={c.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/customers/${c.id}`, { state: back })}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {writable && (
                      <Checkbox
                        aria-label={t('bulk.select', { name: c.name })}
                        checked={selected.includes(c.id)}
                        onClick={(e) => e.stopPropagation()}
                        onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                        data-testid="row-select"
                      />
                    )}
                    {/* A real link: reachable with Tab, opened with Enter, and in a new tab. */}
                    <Anchor component={Link} to={`/customers/${c.id}`} state={back} onClick={(e) => e.stopPropagation()}>
                      {c.name}
                    </Anchor>
                  </Group>
                </Table.Td>
                <Table.Td>{c.mobile ?? '—'}</Table.Td>
                <Table.Td>{c.national_id ?? '—'}</Table.Td>
                <Table.Td>
                  {c.tags.map((tg) => (
                    <Badge key={tg} variant="light" mr={4}>
                      {tg}
                    </Badge>
                  ))}
                </Table.Td>
                <Table.Td>{t(`enums.source.${c.source.channel}`)}</Table.Td>
                <Table.Td>{formatTime(c.created_at, i18n.language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
        {!partialNumber && list.isSuccess && list.items.length === 0 && (
          <Text c="dimmed" size="sm" p="md" data-testid="customers-empty">
            {filters.q || filters.tag || filters.tier || filters.lifecycle ? t('customers.emptySearch') : t('customers.emptyAll')}
          </Text>
        )}
      </Card>
      <div ref={ref} />
      {list.isFetching && (
        <Text c="dimmed" size="sm">
          {t('common.loading')}
        </Text>
      )}
      {!list.hasNextPage && !list.isFetching && list.items.length > 0 && (
        <Text c="dimmed" size="sm">
          {t('customers.noMore')}
        </Text>
      )}
      {!partialNumber && !list.isFetching && list.items.length === 0 && <Text c="dimmed">{t('common.none')}</Text>}
      <ExportDialog opened={exporting} onClose={() => setExporting(false)} filters={filters} />
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('customers.new')} size="lg">
        {creating && <CustomerForm editing={null} onDone={(c) => navigate(`/customers/${c.id}`)} />}
      </Modal>
    </Stack>
  );
}

type Sort = components['schemas']['Sort'];

/** A column header that sorts the list by it (one direction per column: the index's). */
function SortableTh({
  label,
  active,
  onSort,
  descending,
}: {
  label: string;
  active: boolean;
  onSort: () => void;
  descending?: boolean;
}) {
  return (
    <Table.Th aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={onSort} fw={active ? 700 : 500} fz="sm" data-testid={`sort-${label}`}>
        {label} {active ? (descending ? '↓' : '↑') : '↕'}
      </UnstyledButton>
    </Table.Th>
  );
}
