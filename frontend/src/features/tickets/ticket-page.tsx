import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  FileButton,
  Group,
  Modal,
  NumberInput,
  Rating,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { downloadFile } from '@/components/job-progress';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { useColleagues } from '@/lib/use-colleagues';
import { can, useMe } from '@/lib/use-me';

import { useAttach, useComment, useTicket, useTransition, type Ticket, type TicketDetail, type TicketStatus } from './api';
import { SlaDue } from './sla-due';
import { useMinuteClock } from './tickets-page';

/** What a step into `to` asks for (the server's workflow table says the same and enforces it). */
function needs(kind: Ticket['kind'], to: TicketStatus) {
  const serviceClose = to === 'closed' && kind !== 'inquiry' && kind !== 'other';
  return {
    assignee: to === 'assigned',
    findings: to === 'assigned' && kind === 'complaint',
    solution: to === 'awaiting_feedback' || (to === 'closed' && !serviceClose),
    feedback: serviceClose,
    reason: to === 'reopened' || to === 'cancelled',
    revisit: serviceClose && kind !== 'revisit',
  };
}

function StepForm({ ticket, to, onDone }: { ticket: Ticket; to: TicketStatus; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const colleagues = useColleagues(can(me, 'users:read'));
  const need = needs(ticket.kind, to);
  const [assignee, setAssignee] = useState<string | null>(ticket.assignee_id ?? me?.id ?? null);
  const [findings, setFindings] = useState('');
  const [cause, setCause] = useState('');
  const [text, setText] = useState('');
  const [satisfaction, setSatisfaction] = useState(0);
  const [revisit, setRevisit] = useState<number | string>('');
  const move = useTransition(ticket.id, onDone);
  const people = colleagues.data?.items.map((u) => ({ value: u.id, label: u.display_name })) ?? [];
  if (me && !people.some((p) => p.value === me.id)) people.unshift({ value: me.id, label: me.name });
  function submit() {
    move.mutate({
      to,
      assignee_id: need.assignee ? (assignee ?? undefined) : undefined,
      findings: need.findings ? findings : undefined,
      cause: need.findings ? cause : undefined,
      solution: need.solution ? text : undefined,
      feedback: need.feedback ? text : undefined,
      reason: need.reason ? text : undefined,
      satisfaction: need.feedback && satisfaction > 0 ? satisfaction : undefined,
      revisit_after_days: need.revisit && typeof revisit === 'number' ? revisit : undefined,
    });
  }
  const textLabel = need.solution ? 'solution' : need.feedback ? 'feedback' : 'reason';
  return (
    <Stack>
      {need.assignee && (
        <Select
          label={t('tickets.assignee')}
          data={people}
          value={assignee}
          onChange={setAssignee}
          searchable
          allowDeselect={false}
        />
      )}
      {need.findings && (
        <>
          <Textarea label={t('tickets.findings')} value={findings} onChange={(e) => setFindings(e.currentTarget.value)} />
          <TextInput label={t('tickets.cause')} value={cause} onChange={(e) => setCause(e.currentTarget.value)} />
        </>
      )}
      {(need.solution || need.feedback || need.reason) && (
        <Textarea label={t(`tickets.${textLabel}`)} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      )}
      {need.feedback && (
        <Stack gap={4}>
          <Text size="sm" fw={500} id="satisfaction-label">
            {t('tickets.satisfaction')}
          </Text>
          <Rating
            value={satisfaction}
            onChange={setSatisfaction}
            aria-labelledby="satisfaction-label"
            getSymbolLabel={(n) => t('tickets.stars', { count: n })}
          />
          <Text size="xs" c="dimmed">
            {t('tickets.dissatisfiedReopens')}
          </Text>
        </Stack>
      )}
      {need.revisit && (
        <NumberInput
          label={t('tickets.revisitAfter')}
          min={1}
          max={365}
          value={revisit}
          onChange={setRevisit}
          allowDecimal={false}
        />
      )}
      <ProblemAlert error={move.error} />
      <Button loading={move.isPending} onClick={submit} data-testid="ticket-step-save">
        {t(`tickets.steps.${to}`)}
      </Button>
    </Stack>
  );
}

/** An attachment on the timeline: its name downloads it (with the caller's session). */
function AttachmentLink({ ticketId, e }: { ticketId: string; e: TicketDetail['timeline'][number] }) {
  const { t } = useTranslation();
  const data = e.data as { content_type?: string; size_bytes?: number };
  const name = e.body ?? e.id;
  const path = `/api/v1/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(e.id)}`;
  return (
    <Text size="sm">
      <Anchor component="button" type="button" onClick={() => void downloadFile(path, name)} data-testid="ticket-attachment">
        {name}
      </Anchor>{' '}
      <Text span size="xs" c="dimmed">
        {t('tickets.attachmentSize', { kb: Math.max(1, Math.round((data.size_bytes ?? 0) / 1024)) })}
      </Text>
    </Text>
  );
}

function Entry({ ticketId, e }: { ticketId: string; e: TicketDetail['timeline'][number] }) {
  const { t, i18n } = useTranslation();
  const data = e.data as Record<string, string | number | undefined>;
  const what =
    e.kind === 'status'
      ? t('tickets.timeline.status', { to: t(`tickets.statuses.${data.to}`) })
      : e.kind === 'note'
        ? t(`tickets.${data.field}`)
        : t(`tickets.timeline.${e.kind}`, { defaultValue: e.kind });
  return (
    <Timeline.Item title={what} data-testid="ticket-event">
      {e.kind === 'attachment' ? <AttachmentLink ticketId={ticketId} e={e} /> : e.body && <Text size="sm">{e.body}</Text>}
      {data.satisfaction !== undefined && <Rating value={Number(data.satisfaction)} readOnly size="xs" />}
      <Text size="xs" c="dimmed">
        {formatTime(e.at, i18n.language)}
        {e.public ? ` · ${t('tickets.public')}` : ''}
      </Text>
    </Timeline.Item>
  );
}

/** What the server accepts (it checks the bytes; this only narrows the picker). */
const ATTACHABLE = 'image/jpeg,image/png,image/webp,image/gif,application/pdf,audio/*,video/mp4';

function CommentForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [shown, setShown] = useState(false);
  const comment = useComment(id, () => setBody(''));
  const attach = useAttach(id);
  return (
    <Stack gap="xs">
      <Textarea label={t('tickets.comment')} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
      <Group justify="space-between">
        <Checkbox label={t('tickets.showCustomer')} checked={shown} onChange={(e) => setShown(e.currentTarget.checked)} />
        <Group gap="xs">
          <FileButton accept={ATTACHABLE} onChange={(file) => file && attach.mutate({ file, shown })}>
            {(props) => (
              <Button {...props} size="xs" variant="default" loading={attach.isPending} data-testid="ticket-attach">
                {t('tickets.attach')}
              </Button>
            )}
          </FileButton>
          <Button size="xs" loading={comment.isPending} onClick={() => comment.mutate({ body, public: shown })}>
            {t('tickets.addComment')}
          </Button>
        </Group>
      </Group>
      <ProblemAlert error={comment.error ?? attach.error} />
    </Stack>
  );
}

/** One ticket: the customer (masked), the SLA clocks, only the legal next steps as buttons, the
 * timeline, comments. */
export function TicketPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const ticket = useTicket(id);
  const me = useMe().data;
  const now = useMinuteClock();
  const [to, setTo] = useState<TicketStatus | null>(null);
  if (ticket.error) return <ProblemAlert error={ticket.error} />;
  const x = ticket.data;
  if (!x) return null;
  const writes = can(me, 'tickets:write');
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1} size="h2">
            {x.subject}
          </Title>
          <Group gap="xs">
            <Badge variant="light" data-testid="ticket-status">
              {t(`tickets.statuses.${x.status}`)}
            </Badge>
            <Badge variant="outline">{t(`tickets.kinds.${x.kind}`)}</Badge>
            <Badge variant="outline">{t(`tickets.priorities.${x.priority}`)}</Badge>
            {x.green_channel && (
              <Badge color="green" variant="light">
                {t('tickets.greenChannel')}
              </Badge>
            )}
            {x.reopen_count > 0 && (
              <Badge color="orange" variant="light">
                {t('tickets.reopened', { count: x.reopen_count })}
              </Badge>
            )}
          </Group>
        </Stack>
        {writes && (
          <Group gap="xs" data-testid="ticket-steps">
            {x.next.map((s) => (
              <Button key={s} variant={s === 'cancelled' || s === 'reopened' ? 'default' : 'filled'} onClick={() => setTo(s)}>
                {t(`tickets.steps.${s}`)}
              </Button>
            ))}
          </Group>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Stack gap={4}>
            <Text size="sm">
              {t('customers.name')}:{' '}
              <Anchor component={Link} to={`/customers/${x.customer.id}`}>
                {x.customer.name}
              </Anchor>{' '}
              {x.customer.mobile ?? ''}
            </Text>
            <Text size="sm">
              {t('tickets.channel')}: {t(`tickets.channels.${x.channel}`)}
            </Text>
            {x.description && <Text size="sm">{x.description}</Text>}
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap={4}>
            <Group gap="xs">
              <Text size="sm">{t('tickets.due')}:</Text>
              <SlaDue t={x} now={now} />
            </Group>
            <Text size="sm">
              {t('tickets.firstResponseDue')}: {formatTime(x.sla.first_response_due, i18n.language)}
              {x.sla.first_responded_at ? ` ✓ ${formatTime(x.sla.first_responded_at, i18n.language)}` : ''}
            </Text>
            <Text size="sm">
              {t('tickets.resolutionDue')}: {formatTime(x.sla.resolution_due, i18n.language)} (
              {t(`tickets.clocks.${x.sla.clock}`)})
            </Text>
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('tickets.timelineTitle')}
        </Title>
        <Timeline bulletSize={12} lineWidth={2} data-testid="ticket-timeline">
          {x.timeline.map((e) => (
            <Entry key={e.id} ticketId={x.id} e={e} />
          ))}
        </Timeline>
        {writes && <CommentForm id={x.id} />}
      </Card>
      <Modal opened={to !== null} onClose={() => setTo(null)} title={to ? t(`tickets.steps.${to}`) : ''}>
        {to && <StepForm ticket={x} to={to} onDone={() => setTo(null)} />}
      </Modal>
    </Stack>
  );
}
