import { Button, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';

import { CHANNELS, KINDS, PRIORITIES, useCreateTicket, useTickets, type NewTicket } from './api';
import { SlaDue } from './sla-due';
import { useMinuteClock } from './tickets-page';

function NewTicketForm({ customerId, onClose }: { customerId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [kind, setKind] = useState<NewTicket['kind']>('complaint');
  const [channel, setChannel] = useState<NewTicket['channel']>('hotline');
  const [priority, setPriority] = useState<NonNullable<NewTicket['priority']>>('normal');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const create = useCreateTicket((x) => {
    onClose();
    void navigate(`/tickets/${x.id}`);
  });
  return (
    <Stack>
      <Select
        label={t('tickets.kind')}
        data={KINDS.map((k) => ({ value: k, label: t(`tickets.kinds.${k}`) }))}
        value={kind}
        onChange={(v) => v && setKind(v as NewTicket['kind'])}
        allowDeselect={false}
      />
      <Group grow>
        <Select
          label={t('tickets.channel')}
          data={CHANNELS.map((c) => ({ value: c, label: t(`tickets.channels.${c}`) }))}
          value={channel}
          onChange={(v) => v && setChannel(v as NewTicket['channel'])}
          allowDeselect={false}
        />
        <Select
          label={t('tickets.priority')}
          data={PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))}
          value={priority}
          onChange={(v) => v && setPriority(v as NonNullable<NewTicket['priority']>)}
          allowDeselect={false}
        />
      </Group>
      <TextInput
        label={t('tickets.subject')}
        value={subject}
        onChange={(e) => setSubject(e.currentTarget.value)}
        maxLength={200}
      />
      <Textarea
        label={t('tickets.description')}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        autosize
        minRows={3}
      />
      <Text size="xs" c="dimmed">
        {t('tickets.greenChannelHelp')}
      </Text>
      <ProblemAlert error={create.error} />
      <Button
        loading={create.isPending}
        data-testid="ticket-create"
        onClick={() =>
          create.mutate({ customer_id: customerId, kind, channel, priority, subject, description: description || undefined })
        }
      >
        {t('tickets.open')}
      </Button>
    </Stack>
  );
}

/** The customer page's tickets tab: their tickets and a form to open one (a complaint by default). */
export function CustomerTickets({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const tickets = useTickets('all', customerId);
  const [opening, setOpening] = useState(false);
  const now = useMinuteClock();
  return (
    <Stack>
      {can(me, 'tickets:write') && (
        <Group>
          <Button onClick={() => setOpening(true)} data-testid="ticket-new">
            {t('tickets.new')}
          </Button>
        </Group>
      )}
      <ProblemAlert error={tickets.error} />
      <ListTable>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('tickets.subject')}</Table.Th>
            <Table.Th>{t('tickets.kind')}</Table.Th>
            <Table.Th>{t('tickets.status')}</Table.Th>
            <Table.Th>{t('tickets.due')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tickets.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text size="sm" c="dimmed">
                  {t('tickets.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {tickets.data?.items.map((x) => (
            <Table.Tr key={x.id}>
              <Table.Td>
                <Link to={`/tickets/${x.id}`}>{x.subject}</Link>
              </Table.Td>
              <Table.Td>{t(`tickets.kinds.${x.kind}`)}</Table.Td>
              <Table.Td>{t(`tickets.statuses.${x.status}`)}</Table.Td>
              <Table.Td>
                <SlaDue t={x} now={now} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      <Modal opened={opening} onClose={() => setOpening(false)} title={t('tickets.new')}>
        <NewTicketForm customerId={customerId} onClose={() => setOpening(false)} />
      </Modal>
    </Stack>
  );
}
