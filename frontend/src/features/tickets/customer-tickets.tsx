import { Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { ProblemAlert } from '@/components/problem-alert';
import { SelfServiceLinkButton } from '@/components/self-service-link';
import { can, useMe } from '@/lib/use-me';

import { CHANNELS, KINDS, PRIORITIES, useCreateTicket, useTickets, type NewTicket } from './api';
import { TicketTable } from './tickets-page';

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
  return (
    <Stack>
      {can(me, 'tickets:write') && (
        <Group>
          <Button onClick={() => setOpening(true)} data-testid="ticket-new">
            {t('tickets.new')}
          </Button>
          <SelfServiceLinkButton customerId={customerId} page="tickets" />
        </Group>
      )}
      <ProblemAlert error={tickets.error} />
      <TicketTable items={tickets.data?.items} />
      <Modal opened={opening} onClose={() => setOpening(false)} title={t('tickets.new')}>
        <NewTicketForm customerId={customerId} onClose={() => setOpening(false)} />
      </Modal>
    </Stack>
  );
}
