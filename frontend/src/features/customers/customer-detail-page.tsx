import { Alert, Anchor, Badge, Button, Card, Group, Loader, Modal, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { Customer } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';
import { formatTime } from '@/lib/format';

import { ConsentTab } from '@/features/consent';
import { LogRequestDialog } from '@/features/privacy';
import { CustomerTickets } from '@/features/tickets';
import { PointsTab } from '@/features/loyalty';
import { ValueTab } from '@/features/tiers';

import { CustomerForm } from './customer-form';
import { HistoryTab, HouseholdTab } from './customer-history';
import { ContactsTab, FeedbackTab, PreferencesTab, PurchasesTab } from './customer-records';
import { MergeDialog } from './merge-dialog';
import { RevealDialog } from './reveal-dialog';
import { VerifyDialog } from './verify-dialog';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{children ?? '—'}</Text>
    </div>
  );
}

function Profile({ c }: { c: Customer }) {
  const { t, i18n } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} data-testid="customer-profile">
      <Field label={t('customers.mobile')}>{c.mobile}</Field>
      <Field label={t('customers.nationalId')}>{c.national_id}</Field>
      <Field label={t('customers.email')}>{c.email}</Field>
      <Field label={t('customers.birthDate')}>{c.birth_date}</Field>
      <Field label={t('customers.gender')}>{c.gender ? t(`enums.gender.${c.gender}`) : null}</Field>
      <Field label={t('customers.address')}>{c.address}</Field>
      <Field label={t('customers.occupation')}>{c.occupation}</Field>
      <Field label={t('customers.incomeBand')}>{c.income_band ? t(`enums.income_band.${c.income_band}`) : null}</Field>
      <Field label={t('customers.preferredChannel')}>
        {c.preferred_channel ? t(`enums.channel.${c.preferred_channel}`) : null}
      </Field>
      <Field label={t('customers.type')}>{t(`enums.customer_type.${c.customer_type}`)}</Field>
      <Field label={t('customers.source')}>
        {t(`enums.source.${c.source.channel}`)}
        {c.source.supplier ? ` · ${c.source.supplier} (${c.source.legal_basis ?? ''})` : ''}
      </Field>
      <Field label={t('customers.created')}>{formatTime(c.created_at, i18n.language)}</Field>
    </SimpleGrid>
  );
}

function PossibleDuplicates({ c }: { c: Customer }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const [merging, setMerging] = useState<Customer | null>(null);
  const id = c.id;
  const found = useQuery({
    queryKey: ['customers', id, 'duplicates'],
    queryFn: async () => unwrap(await api.GET('/api/v1/customers/{id}/duplicates', { params: { path: { id } } })),
  });
  if (!found.data?.length) return null;
  return (
    <Alert color="yellow" title={t('customers.duplicates')} data-testid="duplicates">
      {found.data.map((d) => (
        <Text size="sm" key={d.customer.id}>
          <Anchor component={Link} to={`/customers/${d.customer.id}`}>
            {d.customer.name}
          </Anchor>
          {' · '}
          {d.customer.mobile ?? ''} · {d.reasons.map((r) => t(`customers.reason_${r}`)).join(', ')}{' '}
          {can(me, 'customers:merge') && (
            <Button size="compact-xs" variant="light" onClick={() => setMerging(d.customer)} data-testid="merge-open">
              {t('merge.review')}
            </Button>
          )}
        </Text>
      ))}
      {merging && <MergeDialog a={c} b={merging} onClose={() => setMerging(null)} />}
    </Alert>
  );
}

export function CustomerDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe().data;
  const customer = useQuery({
    queryKey: ['customers', 'detail', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/customers/{id}', { params: { path: { id } } })),
  });
  const [editing, setEditing] = useState(false);
  const [revealing, setRevealing] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [logging, setLogging] = useState(false);
  const c = customer.data;
  const writable = can(me, 'customers:write');
  const navigate = useNavigate();
  const location = useLocation();
  const state = location.state as { list?: string; mergedFrom?: string } | null;
  // An old id (a bookmark, a privacy request, a link) of a merged record: the API answered with
  // the surviving one; the address follows it and the page says why.
  useEffect(() => {
    if (c && c.id !== id) navigate(`/customers/${c.id}`, { replace: true, state: { ...state, mergedFrom: id } });
  }, [c, id, navigate, state]);
  if (customer.error) return <ProblemAlert error={customer.error} />;
  if (!c) return <Loader />;
  return (
    <Stack>
      <Anchor component={Link} to={`/customers${state?.list ?? ''}`} size="sm" data-testid="back-to-list">
        ← {t('customers.backToList')}
      </Anchor>
      {state?.mergedFrom && (
        <Alert color="blue" data-testid="merged-notice">
          {t('customers.mergedNotice')}
        </Alert>
      )}
      <Group justify="space-between">
        <Group>
          <Title order={1} size="h2" data-testid="customer-name">
            {c.name}
          </Title>
          {c.tags.map((tg) => (
            <Badge key={tg} variant="light">
              {tg}
            </Badge>
          ))}
          <Badge color={c.reachable ? 'green' : 'gray'}>
            {c.reachable ? t('customers.reachable') : t('customers.unreachable')}
          </Badge>
        </Group>
        <Group>
          {can(me, 'audit:read') && (
            <Button variant="subtle" component={Link} to={`/audit?customer=${c.id}`} data-testid="customer-audit">
              {t('audit.forCustomer')}
            </Button>
          )}
          {can(me, 'privacy:requests') && (
            <Button variant="default" onClick={() => setLogging(true)} data-testid="request-open">
              {t('privacy.log')}
            </Button>
          )}
          {can(me, 'customers:reveal') && (
            <Button variant="light" color="orange" onClick={() => setRevealing(true)}>
              {t('customers.reveal')}
            </Button>
          )}
          {writable && (
            <Button variant="light" onClick={() => setVerifying(true)}>
              {t('quality.verify')}
            </Button>
          )}
          {writable && <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>}
        </Group>
      </Group>
      <PossibleDuplicates c={c} />
      {logging && <LogRequestDialog customerId={c.id} opened onClose={() => setLogging(false)} />}
      <Card withBorder>
        <Tabs defaultValue="profile" keepMounted={false}>
          <Tabs.List>
            {[
              'profile',
              'value',
              'points',
              'tickets',
              'consent',
              'purchases',
              'preferences',
              'feedback',
              'contacts',
              'household',
              'history',
            ]
              .filter((tab) => tab !== 'consent' || can(me, 'consent:read'))
              .filter((tab) => tab !== 'tickets' || can(me, 'tickets:read'))
              .map((tab) => (
                <Tabs.Tab key={tab} value={tab}>
                  {t(`customers.${tab}`)}
                </Tabs.Tab>
              ))}
          </Tabs.List>
          <Tabs.Panel value="profile" pt="md">
            <Profile c={c} />
          </Tabs.Panel>
          <Tabs.Panel value="value" pt="md">
            <ValueTab customerId={c.id} />
          </Tabs.Panel>
          <Tabs.Panel value="points" pt="md">
            <PointsTab customerId={c.id} writable={writable} />
          </Tabs.Panel>
          <Tabs.Panel value="tickets" pt="md">
            <CustomerTickets customerId={c.id} />
          </Tabs.Panel>
          <Tabs.Panel value="consent" pt="md">
            <ConsentTab customerId={c.id} />
          </Tabs.Panel>
          <Tabs.Panel value="purchases" pt="md">
            <PurchasesTab customerId={c.id} canWrite={writable} />
          </Tabs.Panel>
          <Tabs.Panel value="preferences" pt="md">
            <PreferencesTab customerId={c.id} canWrite={writable} />
          </Tabs.Panel>
          <Tabs.Panel value="feedback" pt="md">
            <FeedbackTab customerId={c.id} canWrite={writable} />
          </Tabs.Panel>
          <Tabs.Panel value="contacts" pt="md">
            <ContactsTab customerId={c.id} canWrite={writable} />
          </Tabs.Panel>
          <Tabs.Panel value="household" pt="md">
            <HouseholdTab customerId={c.id} householdId={c.household_id} />
          </Tabs.Panel>
          <Tabs.Panel value="history" pt="md">
            <HistoryTab customerId={c.id} />
          </Tabs.Panel>
        </Tabs>
      </Card>
      <Modal opened={editing} onClose={() => setEditing(false)} title={t('common.edit')} size="lg">
        {editing && (
          <CustomerForm
            editing={c}
            onDone={() => {
              setEditing(false);
              void customer.refetch();
            }}
          />
        )}
      </Modal>
      <RevealDialog customerId={c.id} opened={revealing} onClose={() => setRevealing(false)} />
      <VerifyDialog c={c} opened={verifying} onClose={() => setVerifying(false)} />
    </Stack>
  );
}
