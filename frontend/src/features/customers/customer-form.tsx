import { Alert, Anchor, Button, Group, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api } from '@/api/client';
import { ApiProblem, unwrap } from '@/api/problem';
import type { CreateCustomer, Customer } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { contactChannelValues, customerTypeValues, incomeBandValues, sourceChannelValues } from '@/api/schema';

const SOURCES = sourceChannelValues;
const CHANNELS = contactChannelValues;
const INCOME = incomeBandValues;

type Draft = Record<string, string>;

/** Create or edit. Sensitive fields are never prefilled (the API only returns them masked): a
 * value typed here replaces the stored one, an empty field leaves it as it is. */
export function CustomerForm({ editing, onDone }: { editing: Customer | null; onDone: (c: Customer) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [d, setD] = useState<Draft>({
    name: editing && !editing.name.includes('*') ? editing.name : '',
    occupation: editing?.occupation ?? '',
    customer_type: editing?.customer_type ?? 'individual',
    source: editing?.source.channel ?? 'service',
    supplier: editing?.source.supplier ?? '',
    legal_basis: editing?.source.legal_basis ?? '',
    preferred_channel: editing?.preferred_channel ?? '',
    income_band: editing?.income_band ?? '',
  });
  const [tags, setTags] = useState<string[]>(editing?.tags ?? []);
  const set = (k: string) => (v: string | null) => setD((prev) => ({ ...prev, [k]: v ?? '' }));
  const opt = (k: string) => (d[k] ? d[k] : undefined);
  const save = useMutation({
    mutationFn: async (): Promise<Customer> => {
      const source = {
        channel: d.source as CreateCustomer['source']['channel'],
        supplier: opt('supplier'),
        legal_basis: opt('legal_basis'),
      };
      const common = {
        national_id: opt('national_id'),
        mobile: opt('mobile'),
        email: opt('email'),
        address: opt('address'),
        birth_date: opt('birth_date'),
        occupation: opt('occupation'),
        income_band: opt('income_band') as CreateCustomer['income_band'],
        preferred_channel: opt('preferred_channel') as CreateCustomer['preferred_channel'],
        tags,
        source,
      };
      if (editing) {
        return unwrap(
          await api.PATCH('/api/v1/customers/{id}', {
            params: { path: { id: editing.id }, header: { 'If-Match': `"${editing.version}"` } },
            body: { ...common, name: opt('name') },
          }),
        );
      }
      return unwrap(
        await api.POST('/api/v1/customers', {
          body: { ...common, name: d.name ?? '', customer_type: d.customer_type as CreateCustomer['customer_type'] },
        }),
      );
    },
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['customers'] });
      onDone(c);
    },
  });
  const errors = save.error instanceof ApiProblem ? save.error.fieldErrors() : {};
  const field = (k: string, label: string, placeholder?: string) => (
    <TextInput
      label={t(label)}
      name={k}
      value={d[k] ?? ''}
      placeholder={placeholder}
      onChange={(e) => set(k)(e.currentTarget.value)}
      error={errors[k]}
    />
  );
  return (
    <Stack>
      {!editing && <ExistingCustomers mobile={d.mobile ?? ''} nationalId={d.national_id ?? ''} />}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {field('name', 'customers.name', editing?.name)}
        {field('mobile', 'customers.mobile', editing?.mobile ?? '13812345678')}
        {field('national_id', 'customers.nationalId', editing?.national_id ?? undefined)}
        {field('birth_date', 'customers.birthDate', editing?.birth_date ?? 'YYYY-MM-DD')}
        {field('email', 'customers.email', editing?.email ?? undefined)}
        {field('occupation', 'customers.occupation')}
      </SimpleGrid>
      <Textarea
        label={t('customers.address')}
        name="address"
        value={d.address ?? ''}
        placeholder={editing?.address ?? undefined}
        onChange={(e) => set('address')(e.currentTarget.value)}
        error={errors.address}
        autosize
        minRows={1}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {!editing && (
          <Select
            label={t('customers.type')}
            value={d.customer_type ?? null}
            onChange={set('customer_type')}
            allowDeselect={false}
            data={customerTypeValues.map((v) => ({ value: v, label: t(`enums.customer_type.${v}`) }))}
          />
        )}
        <Select
          label={t('customers.incomeBand')}
          value={d.income_band || null}
          onChange={set('income_band')}
          clearable
          data={INCOME.map((v) => ({ value: v, label: t(`enums.income_band.${v}`) }))}
        />
        <Select
          label={t('customers.preferredChannel')}
          value={d.preferred_channel || null}
          onChange={set('preferred_channel')}
          clearable
          data={CHANNELS.map((v) => ({ value: v, label: t(`enums.channel.${v}`) }))}
        />
        <Select
          label={t('customers.source')}
          value={d.source ?? null}
          onChange={set('source')}
          allowDeselect={false}
          error={errors.source}
          data={SOURCES.map((v) => ({ value: v, label: t(`enums.source.${v}`) }))}
        />
      </SimpleGrid>
      {d.source === 'third_party' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {field('supplier', 'customers.supplier')}
          {field('legal_basis', 'customers.legalBasis')}
        </SimpleGrid>
      )}
      <TagsInput label={t('customers.tags')} value={tags} onChange={setTags} error={errors.tags} />
      <ProblemAlert error={Object.keys(errors).length ? null : save.error} />
      <Group justify="flex-end">
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** While a new customer is typed in: anyone in reach with the same whole mobile or ID number, so
 * that a second record is not made for the same person (found by blind index, never by part). */
function ExistingCustomers({ mobile, nationalId }: { mobile: string; nationalId: string }) {
  const { t } = useTranslation();
  // Strings, not an object: a new object each render would restart the wait forever.
  const [typedMobile] = useDebouncedValue(mobile.replace(/[\s()-]/g, ''), 400);
  const [typedId] = useDebouncedValue(nationalId.trim(), 400);
  const typed = { mobile: typedMobile, nationalId: typedId };
  const whole = { mobile: /^(\+?86)?1[3-9]\d{9}$/.test(typed.mobile), nationalId: /^\d{17}[\dXx]$/.test(typed.nationalId) };
  const found = useQuery({
    queryKey: ['customers', 'existing', typed],
    enabled: whole.mobile || whole.nationalId,
    queryFn: async () => {
      const ask = async (query: { mobile?: string; national_id?: string }) =>
        unwrap(await api.GET('/api/v1/customers', { params: { query: { ...query, limit: 3 } } })).items;
      const lists = await Promise.all([
        whole.mobile ? ask({ mobile: typed.mobile }) : [],
        whole.nationalId ? ask({ national_id: typed.nationalId }) : [],
      ]);
      return [...new Map(lists.flat().map((c) => [c.id, c])).values()];
    },
  });
  if (!found.data?.length) return null;
  return (
    <Alert color="yellow" title={t('customers.existingTitle')} data-testid="existing-customers">
      {found.data.map((c) => (
        <Text size="sm" key={c.id}>
          <Anchor component={Link} to={`/customers/${c.id}`}>
            {c.name}
          </Anchor>{' '}
          · {c.mobile ?? ''}
        </Text>
      ))}
      <Text size="xs" c="dimmed" mt={4}>
        {t('customers.existingHelp')}
      </Text>
    </Alert>
  );
}
