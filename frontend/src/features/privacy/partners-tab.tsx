import { Badge, Button, Card, Code, Group, MultiSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { ifMatch } from '@/api/etag';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { useAllUnits } from '@/lib/use-units';
import { downloadJobFile, JobProgress } from '@/components/job-progress';
import { ListTable } from '@/components/list-table';

const SHAREABLE = ['name', 'gender', 'birth_date', 'mobile', 'email', 'address', 'address_region', 'national_id'];

function NewPartner() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [form, setForm] = useState({ code: '', name: '', nda_reference: '', nda_signed_on: '' });
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.currentTarget.value });
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/partners', { body: form })),
    onSuccess: async () => {
      setForm({ code: '', name: '', nda_reference: '', nda_signed_on: '' });
      await client.invalidateQueries({ queryKey: ['partners'] });
    },
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={5}>{t('partners.new')}</Title>
        <ProblemAlert error={create.error} />
        <Group align="end">
          <TextInput label={t('privacy.code')} value={form.code} onChange={set('code')} placeholder="acme-insure" />
          <TextInput label={t('privacy.name')} value={form.name} onChange={set('name')} />
          <TextInput label={t('partners.ndaReference')} value={form.nda_reference} onChange={set('nda_reference')} />
          <TextInput
            label={t('partners.ndaSigned')}
            value={form.nda_signed_on}
            onChange={set('nda_signed_on')}
            placeholder="2026-01-31"
          />
          <Button onClick={() => create.mutate()} loading={create.isPending} data-testid="partner-create">
            {t('partners.create')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** A partner's sharing agreements, a form for a new one, and issuing its API key. */
function PartnerDetail({ partnerId, manage }: { partnerId: string; manage: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const key = ['partners', partnerId, 'agreements'];
  const agreements = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET('/api/v1/partners/{id}/agreements', { params: { path: { id: partnerId } } })),
  });
  const units = useAllUnits();
  const [fields, setFields] = useState<string[]>(['name', 'mobile']);
  const [purposes, setPurposes] = useState('');
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [doc, setDoc] = useState('');
  const [starts, setStarts] = useState('');
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/partners/{id}/agreements', {
          params: { path: { id: partnerId } },
          body: {
            fields,
            purposes: purposes.split(/[,，\s]+/).filter(Boolean),
            unit_ids: unitIds,
            document_reference: doc,
            starts_on: starts,
          },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  const end = useMutation({
    mutationFn: async (a: { id: string; version: number }) =>
      unwrap(
        await api.DELETE('/api/v1/partners/{id}/agreements/{agreement_id}', {
          params: { path: { id: partnerId, agreement_id: a.id }, header: ifMatch(a.version) },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  const issueKey = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/partners/{id}/api-keys', { params: { path: { id: partnerId } }, body: { name: 'partner key' } }),
      ),
  });
  const [exportJob, setExportJob] = useState<string | null>(null);
  const exportFile = useMutation({
    mutationFn: async (a: { id: string; purpose: string }) =>
      unwrap(
        await api.POST('/api/v1/partners/{id}/exports', {
          params: { path: { id: partnerId } },
          body: { agreement_id: a.id, purpose: a.purpose, format: 'csv' },
        }),
      ),
    onSuccess: (job) => setExportJob(job.id),
  });
  const [hookUrl, setHookUrl] = useState('');
  const hook = useMutation({
    mutationFn: async (a: { id: string; purpose: string }) =>
      unwrap(
        await api.POST('/api/v1/partners/{id}/webhooks', {
          params: { path: { id: partnerId } },
          body: { agreement_id: a.id, purpose: a.purpose, url: hookUrl, topics: ['*'] },
        }),
      ),
  });
  const unitName = (id: string) => units.data?.items.find((u) => u.id === id)?.name ?? id;
  return (
    <Stack gap="xs" pl="md" data-testid="partner-detail">
      <ProblemAlert error={agreements.error ?? create.error ?? end.error ?? issueKey.error ?? exportFile.error ?? hook.error} />
      <ListTable>
        <Table.Tbody>
          {agreements.data?.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.document_reference}</Table.Td>
              <Table.Td>{a.fields.join(', ')}</Table.Td>
              <Table.Td>{a.purposes.join(', ')}</Table.Td>
              <Table.Td>{a.unit_ids.map(unitName).join(', ')}</Table.Td>
              <Table.Td>
                {a.starts_on}
                {a.ends_on ? ` – ${a.ends_on}` : ''}
              </Table.Td>
              <Table.Td>
                {a.active ? (
                  <Badge color="green">{t('partners.active')}</Badge>
                ) : (
                  <Badge color="gray">{t('partners.ended')}</Badge>
                )}
              </Table.Td>
              <Table.Td>
                {manage && a.active && (
                  <Group gap={4}>
                    <Button
                      size="compact-xs"
                      variant="light"
                      onClick={() => exportFile.mutate({ id: a.id, purpose: a.purposes[0] ?? '' })}
                    >
                      {t('partners.export')}
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="light"
                      disabled={!hookUrl}
                      onClick={() => hook.mutate({ id: a.id, purpose: a.purposes[0] ?? '' })}
                    >
                      {t('partners.webhook')}
                    </Button>
                    <Button size="compact-xs" color="red" variant="light" onClick={() => end.mutate(a)}>
                      {t('partners.end')}
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      {agreements.data?.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('partners.noAgreements')}
        </Text>
      )}
      {manage && (
        <Group align="end">
          <MultiSelect label={t('privacy.fields')} data={SHAREABLE} value={fields} onChange={setFields} w={220} />
          <TextInput
            label={t('partners.purposes')}
            value={purposes}
            onChange={(e) => setPurposes(e.currentTarget.value)}
            placeholder="insurance_quote"
          />
          <MultiSelect
            label={t('partners.units')}
            data={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={unitIds}
            onChange={setUnitIds}
            w={220}
          />
          <TextInput label={t('partners.document')} value={doc} onChange={(e) => setDoc(e.currentTarget.value)} />
          <TextInput
            label={t('partners.starts')}
            value={starts}
            onChange={(e) => setStarts(e.currentTarget.value)}
            placeholder="2026-01-01"
          />
          <Button onClick={() => create.mutate()} loading={create.isPending} data-testid="agreement-create">
            {t('partners.addAgreement')}
          </Button>
          <Button variant="default" onClick={() => issueKey.mutate()} loading={issueKey.isPending}>
            {t('partners.issueKey')}
          </Button>
        </Group>
      )}
      {manage && (
        <TextInput
          label={t('partners.webhookUrl')}
          value={hookUrl}
          onChange={(e) => setHookUrl(e.currentTarget.value)}
          placeholder="https://partner.example.com/guanxi"
          w={420}
        />
      )}
      {hook.data && (
        <Text size="sm">
          {t('partners.webhookSecret')} <Code>{hook.data.secret}</Code>
        </Text>
      )}
      {exportJob && (
        <JobProgress id={exportJob}>
          {(j) => {
            const r = j.result as { file?: string; customers?: number } | null;
            return (
              r?.file && (
                <Button size="xs" variant="light" onClick={() => void downloadJobFile(j.id, r.file ?? '')}>
                  {t('partners.download', { count: r.customers ?? 0 })}
                </Button>
              )
            );
          }}
        </JobProgress>
      )}
      {issueKey.data && (
        <Text size="sm">
          {t('partners.keyOnce')} <Code>{issueKey.data.key}</Code>
        </Text>
      )}
    </Stack>
  );
}

export function PartnersTab() {
  const { t } = useTranslation();
  const me = useMe().data;
  const manage = can(me, 'privacy:manage');
  const [open, setOpen] = useState<string | null>(null);
  const partners = useQuery({
    queryKey: ['partners'],
    queryFn: async () => unwrap(await api.GET('/api/v1/partners', { params: { query: { limit: 200 } } })),
  });
  return (
    <Stack>
      <ProblemAlert error={partners.error} />
      {manage && <NewPartner />}
      {partners.data?.items.length === 0 && <Text c="dimmed">{t('privacy.none')}</Text>}
      <ListTable striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('privacy.code')}</Table.Th>
            <Table.Th>{t('privacy.name')}</Table.Th>
            <Table.Th>{t('privacy.nda')}</Table.Th>
            <Table.Th>{t('privacy.purposeOf')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {partners.data?.items.map((p) => (
            <Fragment key={p.id}>
              <Table.Tr data-partner={p.code}>
                <Table.Td>{p.code}</Table.Td>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>
                  {p.nda_reference} · {p.nda_signed_on}
                  {p.nda_expires_on ? ` – ${p.nda_expires_on}` : ''}
                </Table.Td>
                <Table.Td>{p.purpose}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" onClick={() => setOpen(open === p.id ? null : p.id)}>
                    {t('partners.agreements')}
                  </Button>
                </Table.Td>
              </Table.Tr>
              {open === p.id && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <PartnerDetail partnerId={p.id} manage={manage} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </ListTable>
    </Stack>
  );
}
