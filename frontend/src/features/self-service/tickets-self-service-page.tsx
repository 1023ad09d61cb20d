import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Container,
  FileButton,
  Group,
  Rating,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { publicApi } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';
import { LanguageSwitch } from '@/components/language-switch';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';

type CustomerTicket = components['schemas']['CustomerTicket'];
type Kind = components['schemas']['SelfServiceKind'];

/** The link token, from the URL fragment (never sent to a server in the page request). */
function linkToken() {
  return decodeURIComponent(globalThis.location?.hash.replace(/^#/, '') ?? '');
}

const KEY = ['self-service-tickets'] as const;

/** Saves an attachment shown to the customer, fetched with their link. */
async function download(token: string, ticketId: string, id: string, name: string) {
  const res = await fetch(`/api/v1/self-service/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(id)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) return;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function NewRequest({ headers }: { headers: Record<string, string> }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [kind, setKind] = useState<Kind>('inquiry');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const open = useMutation({
    mutationFn: async () =>
      unwrap(
        await publicApi.POST('/api/v1/self-service/tickets', {
          headers,
          body: { kind, subject, description: description || undefined },
        }),
      ),
    onSuccess: () => {
      setSubject('');
      setDescription('');
      void client.invalidateQueries({ queryKey: KEY });
    },
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('selfTickets.new')}
        </Title>
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as Kind)}
          data={[
            { value: 'inquiry', label: t('tickets.kinds.inquiry') },
            { value: 'complaint', label: t('tickets.kinds.complaint') },
          ]}
          aria-label={t('selfTickets.kind')}
        />
        <TextInput
          label={t('tickets.subject')}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          data-testid="self-ticket-subject"
        />
        <Textarea
          label={t('tickets.description')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          autosize
          minRows={3}
        />
        <ProblemAlert error={open.error} />
        <Button loading={open.isPending} onClick={() => open.mutate()} data-testid="self-ticket-send">
          {t('selfTickets.send')}
        </Button>
      </Stack>
    </Card>
  );
}

function Entry({ e, onFile }: { e: CustomerTicket['timeline'][number]; onFile: () => void }) {
  const { t, i18n } = useTranslation();
  const data = e.data as Record<string, string | number | undefined>;
  const what =
    e.kind === 'status'
      ? t('tickets.timeline.status', { to: t(`tickets.statuses.${data.to}`) })
      : e.kind === 'reply'
        ? t('selfTickets.you')
        : t(`tickets.timeline.${e.kind}`, { defaultValue: e.kind });
  return (
    <Timeline.Item title={what} data-testid="self-ticket-event">
      {e.kind === 'attachment' ? (
        <Anchor component="button" type="button" size="sm" onClick={onFile}>
          {e.body ?? e.id}
        </Anchor>
      ) : (
        e.body && <Text size="sm">{e.body}</Text>
      )}
      {data.satisfaction !== undefined && <Rating value={Number(data.satisfaction)} readOnly size="xs" />}
      <Text size="xs" c="dimmed">
        {formatTime(e.at, i18n.language)}
      </Text>
    </Timeline.Item>
  );
}

/** One request opened: what the customer may see of its timeline, a reply, a photo, a rating. */
function Request({ token, id }: { token: string; id: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const headers = { Authorization: `Bearer ${token}` };
  const path = { path: { id } };
  const one = useQuery({
    queryKey: [...KEY, id],
    retry: false,
    queryFn: async () => unwrap(await publicApi.GET('/api/v1/self-service/tickets/{id}', { headers, params: path })),
  });
  const done = () => void client.invalidateQueries({ queryKey: KEY });
  const [reply, setReply] = useState('');
  const [stars, setStars] = useState(0);
  const send = useMutation({
    mutationFn: async () =>
      unwrap(await publicApi.POST('/api/v1/self-service/tickets/{id}/replies', { headers, params: path, body: { body: reply } })),
    onSuccess: () => {
      setReply('');
      done();
    },
  });
  const attach = useMutation({
    mutationFn: async (file: File) =>
      unwrap(
        await publicApi.POST('/api/v1/self-service/tickets/{id}/attachments', {
          headers: { ...headers, 'Content-Type': 'application/octet-stream' },
          params: { path: { id }, query: { file_name: file.name } },
          body: file as never,
          bodySerializer: (b: unknown) => b as Blob,
        }),
      ),
    onSuccess: done,
  });
  const rate = useMutation({
    mutationFn: async () =>
      unwrap(
        await publicApi.POST('/api/v1/self-service/tickets/{id}/rating', {
          headers,
          params: path,
          body: { satisfaction: stars },
        }),
      ),
    onSuccess: done,
  });
  const x = one.data;
  if (one.error) return <ProblemAlert error={one.error} />;
  if (!x) return null;
  return (
    <Stack gap="sm">
      <Timeline bulletSize={12} lineWidth={2}>
        {x.timeline.map((e) => (
          <Entry key={e.id} e={e} onFile={() => void download(token, x.id, e.id, e.body ?? e.id)} />
        ))}
      </Timeline>
      {x.status !== 'closed' && x.status !== 'cancelled' && (
        <>
          <Textarea
            label={t('selfTickets.reply')}
            value={reply}
            onChange={(e) => setReply(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Group gap="xs" grow>
            <FileButton accept="image/*,audio/*,application/pdf" onChange={(f) => f && attach.mutate(f)}>
              {(props) => (
                <Button {...props} variant="default" loading={attach.isPending}>
                  {t('selfTickets.photo')}
                </Button>
              )}
            </FileButton>
            <Button loading={send.isPending} onClick={() => send.mutate()} data-testid="self-ticket-reply">
              {t('selfTickets.sendReply')}
            </Button>
          </Group>
        </>
      )}
      {x.can_rate && (
        <Stack gap={4}>
          <Text size="sm" fw={500} id={`rate-${x.id}`}>
            {t('selfTickets.rate')}
          </Text>
          <Group>
            <Rating
              value={stars || x.satisfaction || 0}
              onChange={setStars}
              aria-labelledby={`rate-${x.id}`}
              getSymbolLabel={(n) => t('tickets.stars', { count: n })}
              size="lg"
            />
            <Button
              size="xs"
              disabled={stars === 0}
              loading={rate.isPending}
              onClick={() => rate.mutate()}
              data-testid="self-ticket-rate"
            >
              {t('selfTickets.sendRating')}
            </Button>
          </Group>
        </Stack>
      )}
      <ProblemAlert error={send.error ?? attach.error ?? rate.error} />
    </Stack>
  );
}

/** The customer's own service requests, opened from a ticket link (by SMS, email or their app):
 * open an inquiry or a complaint, follow it, reply with words or a photo, rate the answer. Built
 * for a phone first. No staff account involved. */
export function TicketsSelfServicePage() {
  const { t, i18n } = useTranslation();
  const [token] = useState(linkToken);
  const [opened, setOpened] = useState<string | null>(null);
  const headers = { Authorization: `Bearer ${token}` };
  const list = useQuery({
    queryKey: KEY,
    enabled: token !== '',
    retry: false,
    queryFn: async () => unwrap(await publicApi.GET('/api/v1/self-service/tickets', { headers })),
  });
  return (
    <Container size="sm" py="lg" px="sm">
      <Stack>
        <Group justify="space-between">
          <Title order={1} size="h2">
            {t('selfTickets.title')}
          </Title>
          <LanguageSwitch />
        </Group>
        {token === '' && <Alert color="orange">{t('selfService.noLink')}</Alert>}
        <ProblemAlert error={list.error} />
        {list.data && (
          <>
            <NewRequest headers={headers} />
            {list.data.length === 0 && <Text c="dimmed">{t('selfTickets.none')}</Text>}
            {list.data.map((x) => (
              <Card key={x.id} withBorder data-testid="self-ticket">
                <Stack gap="xs">
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Stack gap={2}>
                      <Text fw={600}>{x.subject}</Text>
                      <Text size="xs" c="dimmed">
                        {t(`tickets.kinds.${x.kind}`)} · {formatTime(x.created_at, i18n.language)}
                      </Text>
                    </Stack>
                    <Badge variant="light" data-testid="self-ticket-status">
                      {t(`tickets.statuses.${x.status}`)}
                    </Badge>
                  </Group>
                  {opened === x.id ? (
                    <Request token={token} id={x.id} />
                  ) : (
                    <Button variant="subtle" size="xs" onClick={() => setOpened(x.id)} data-testid="self-ticket-open">
                      {t('selfTickets.open')}
                    </Button>
                  )}
                </Stack>
              </Card>
            ))}
          </>
        )}
      </Stack>
    </Container>
  );
}
