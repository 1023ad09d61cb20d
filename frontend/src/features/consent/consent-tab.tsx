import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';
import { ProblemAlert } from '@/components/problem-alert';
import { SelfServiceLinkButton } from '@/components/self-service-link';
import { can, useMe } from '@/lib/use-me';
import { formatTime } from '@/lib/format';

import { PURPOSES, purposeLabel } from '@/lib/purposes';

// How staff record a consent (self-service and merge are recorded by the system).
const CHANNELS: Channel[] = ['paper', 'web_form', 'app', 'call_recording', 'in_person'];

import { DisclosuresTable } from '@/components/disclosures-table';
import { ConfirmButton } from '@/components/confirm-button';

type Channel = components['schemas']['ConsentChannel'];
type Receipt = components['schemas']['Receipt'];

/** The customer's consents: current state per purpose, record or withdraw, receipts, history,
 * and who received the customer's data (disclosures). */
export function ConsentTab({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const client = useQueryClient();
  const key = ['customers', customerId, 'consents'];
  const overview = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET('/api/v1/customers/{id}/consents', { params: { path: { id: customerId } } })),
  });
  const shares = useQuery({
    queryKey: ['customers', customerId, 'shares'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/customers/{id}/shares', { params: { path: { id: customerId }, query: { limit: 100 } } })),
  });
  const [purpose, setPurpose] = useState<string | null>('marketing_sms');
  const [channel, setChannel] = useState<string | null>('paper');
  const [evidence, setEvidence] = useState('');
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const record = useMutation({
    mutationFn: async ({ p, granted }: { p: string; granted: boolean }) =>
      unwrap(
        await api.POST('/api/v1/customers/{id}/consents', {
          params: { path: { id: customerId } },
          body: { purpose: p, granted, channel: (channel ?? 'paper') as Channel, evidence: evidence.trim() || null },
        }),
      ),
    onSuccess: async () => {
      setEvidence('');
      await client.invalidateQueries({ queryKey: key });
    },
  });
  const showReceipt = useMutation({
    mutationFn: async (consentId: string) =>
      unwrap(
        await api.GET('/api/v1/customers/{id}/consents/{consent_id}/receipt', {
          params: { path: { id: customerId, consent_id: consentId } },
        }),
      ),
    onSuccess: setReceipt,
  });
  const writable = can(me, 'consent:write');
  // Consent is given to a published notice: on a fresh system there is none yet, and the panel
  // says so (and who can fix it) instead of failing on the first try.
  const notices = useQuery({
    queryKey: ['privacy-notices', 'any'],
    enabled: writable,
    queryFn: async () => unwrap(await api.GET('/api/v1/privacy-notices', { params: { query: { limit: 1 } } })),
  });
  const noNotice = notices.data?.items.length === 0;
  const current = overview.data?.current ?? [];
  return (
    <Stack data-testid="consent-panel">
      <ProblemAlert error={overview.error ?? record.error ?? showReceipt.error} />
      <Title order={4}>{t('consent.current')}</Title>
      {current.length === 0 && <Text c="dimmed">{t('consent.none')}</Text>}
      <Table data-testid="consent-current">
        <Table.Tbody>
          {current.map((c) => (
            <Table.Tr key={c.purpose} data-purpose={c.purpose}>
              <Table.Td>{purposeLabel(t, c.purpose)}</Table.Td>
              <Table.Td>
                <Badge color={c.granted ? 'green' : 'red'} data-testid="consent-state">
                  {c.granted ? t('consent.granted') : t('consent.withdrawn')}
                </Badge>
              </Table.Td>
              <Table.Td>{formatTime(c.recorded_at, i18n.language)}</Table.Td>
              <Table.Td>
                {t(`consent.channels.${c.channel}`)}
                {c.self_service ? ` · ${t('consent.selfService')}` : ''}
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  {writable && c.granted && (
                    <ConfirmButton
                      size="compact-xs"
                      variant="light"
                      loading={record.isPending}
                      message={t('consent.confirmWithdraw', { purpose: t(`consent.purposes.${c.purpose}`) })}
                      onConfirm={() => record.mutate({ p: c.purpose, granted: false })}
                      data-testid="consent-withdraw"
                    >
                      {t('consent.withdraw')}
                    </ConfirmButton>
                  )}
                  <Button size="compact-xs" variant="default" onClick={() => showReceipt.mutate(c.id)}>
                    {t('consent.receipt')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {writable && noNotice && (
        <Alert color="yellow" title={t('consent.noNoticeTitle')} data-testid="consent-no-notice">
          <Text size="sm">{t('consent.noNotice')}</Text>
          {can(me, 'privacy:manage') && (
            <Anchor component={Link} to="/consent?tab=notices" size="sm">
              {t('consent.publishNotice')}
            </Anchor>
          )}
        </Alert>
      )}
      {writable && !noNotice && <SelfServiceLinkButton customerId={customerId} page="consent" />}
      {writable && !noNotice && (
        <Card withBorder>
          <Group align="end">
            <Select
              label={t('consent.purpose')}
              data={PURPOSES.map((p) => ({ value: p, label: purposeLabel(t, p) }))}
              value={purpose}
              onChange={setPurpose}
              data-testid="consent-purpose"
            />
            <Select
              label={t('consent.channel')}
              data={CHANNELS.map((c) => ({ value: c, label: t(`consent.channels.${c}`) }))}
              value={channel}
              onChange={setChannel}
            />
            <TextInput label={t('consent.evidence')} value={evidence} onChange={(e) => setEvidence(e.currentTarget.value)} />
            <Button
              onClick={() => purpose && record.mutate({ p: purpose, granted: true })}
              loading={record.isPending}
              data-testid="consent-grant"
            >
              {t('consent.grant')}
            </Button>
          </Group>
        </Card>
      )}
      <Title order={4}>{t('consent.history')}</Title>
      <Table striped data-testid="consent-history">
        <Table.Tbody>
          {overview.data?.history.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{formatTime(c.recorded_at, i18n.language)}</Table.Td>
              <Table.Td>{purposeLabel(t, c.purpose)}</Table.Td>
              <Table.Td>{c.granted ? t('consent.granted') : t('consent.withdrawn')}</Table.Td>
              <Table.Td>{t(`consent.channels.${c.channel}`)}</Table.Td>
              <Table.Td>{c.evidence ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={4}>{t('consent.disclosures')}</Title>
      <ProblemAlert error={shares.error} />
      {shares.data && <DisclosuresTable shares={shares.data.items} />}
      <Modal opened={!!receipt} onClose={() => setReceipt(null)} title={t('consent.receipt')} size="lg">
        <Stack>
          <Text size="sm" c="dimmed">
            {t('consent.receiptHelp')}
          </Text>
          <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
            {receipt?.jws}
          </Code>
          <Code block>{JSON.stringify(receipt?.claims, null, 2)}</Code>
        </Stack>
      </Modal>
    </Stack>
  );
}
