import { Button, Checkbox, Group, NumberInput, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ProblemAlert } from '@/components/problem-alert';
import { useSegments } from '@/features/segments';

import { ChannelFields } from './channel-fields';
import { useSaveCampaign, type Campaign, type CampaignInput, type Channel } from './api';

/** `2026-03-02T08:00` in the browser's time zone, for a datetime-local field. */
function local(iso: string) {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** What the message will read like: the marks filled as the channel allows (a text message
 * shows the masked name). */
export function preview(body: string, channel: Channel, campaign: string) {
  const name = channel === 'sms' || channel === 'push' ? '张*' : '张三';
  const text = body
    .replace(/\{\{\s*name\s*\}\}/g, name)
    .replace(/\{\{\s*campaign\s*\}\}/g, campaign)
    .replace(/\{\{\s*link\s*\}\}/g, `${window.location.origin}/api/v1/track/…`);
  return channel === 'sms' ? `${text} 回T退订` : text;
}

/** The plan of a campaign: goal, target segments, channel, message, window and cost. */
export function CampaignForm({
  campaign,
  segmentIds: initialSegments,
  onSaved,
}: {
  campaign?: Campaign;
  /** The targets a new campaign starts with. */
  segmentIds?: string[];
  onSaved: (c: Campaign) => void;
}) {
  const { t } = useTranslation();
  const segments = useSegments();
  const now = new Date();
  const [name, setName] = useState(campaign?.name ?? '');
  const [goal, setGoal] = useState(campaign?.goal ?? '');
  const [channel, setChannel] = useState<Channel>(campaign?.channel ?? 'sms');
  const [segmentIds, setSegmentIds] = useState<string[]>(campaign?.segment_ids ?? initialSegments ?? []);
  const [subject, setSubject] = useState(campaign?.subject ?? '');
  const [body, setBody] = useState(campaign?.body ?? '{{name}}您好，');
  const [starts, setStarts] = useState(local(campaign?.starts_at ?? now.toISOString()));
  const [ends, setEnds] = useState(local(campaign?.ends_at ?? new Date(now.getTime() + 7 * 86_400_000).toISOString()));
  const [cost, setCost] = useState<number>((campaign?.cost_per_message_fen ?? 5) / 100);
  const [budget, setBudget] = useState<number | ''>(campaign?.budget_fen != null ? campaign.budget_fen / 100 : '');
  const [linkUrl, setLinkUrl] = useState(campaign?.link_url ?? '');
  const [holdout, setHoldout] = useState<number>(campaign?.holdout_percent ?? 0);
  const [attribution, setAttribution] = useState<number>(campaign?.attribution_days ?? 30);
  const save = useSaveCampaign(onSaved);
  const input: CampaignInput = {
    name: name.trim(),
    goal: goal.trim() || undefined,
    channel,
    segment_ids: segmentIds,
    subject: channel === 'email' ? subject : undefined,
    body,
    starts_at: new Date(starts).toISOString(),
    ends_at: new Date(ends).toISOString(),
    cost_per_message_fen: Math.round(cost * 100),
    budget_fen: budget === '' ? undefined : Math.round(budget * 100),
    link_url: linkUrl.trim() || undefined,
    holdout_percent: holdout,
    attribution_days: attribution,
  };
  return (
    <Stack>
      <TextInput
        label={t('campaigns.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        maxLength={100}
        required
      />
      <Textarea label={t('campaigns.goal')} value={goal} onChange={(e) => setGoal(e.currentTarget.value)} maxLength={500} />
      <ChannelFields channel={channel} onChannel={setChannel} subject={subject} onSubject={setSubject} />
      <Checkbox.Group label={t('campaigns.segments')} value={segmentIds} onChange={setSegmentIds} data-testid="campaign-segments">
        <Stack gap={4} mt={4}>
          {(segments.data ?? []).map((s) => (
            <Checkbox key={s.id} value={s.id} label={s.name} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Textarea
        label={t('campaigns.body')}
        description={t('campaigns.bodyHelp', { name: '{{name}}', campaign: '{{campaign}}' })}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        autosize
        minRows={3}
        maxLength={2000}
      />
      <Text size="sm" c="dimmed" data-testid="campaign-preview">
        {t('campaigns.preview')}: {preview(body, channel, name || t('campaigns.name'))}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          type="datetime-local"
          label={t('campaigns.starts')}
          value={starts}
          onChange={(e) => setStarts(e.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          label={t('campaigns.ends')}
          value={ends}
          onChange={(e) => setEnds(e.currentTarget.value)}
        />
        <NumberInput
          label={t('campaigns.cost')}
          value={cost}
          onChange={(v) => setCost(typeof v === 'number' ? v : 0)}
          min={0}
          decimalScale={2}
          prefix="¥"
        />
        <NumberInput
          label={t('campaigns.budget')}
          value={budget}
          onChange={(v) => setBudget(typeof v === 'number' ? v : '')}
          min={0}
          decimalScale={2}
          prefix="¥"
        />
        <TextInput
          type="url"
          label={t('campaigns.link')}
          description={t('campaigns.linkHelp', { link: '{{link}}' })}
          value={linkUrl}
          onChange={(e) => setLinkUrl(e.currentTarget.value)}
          maxLength={500}
          placeholder="https://"
        />
        <NumberInput
          label={t('campaigns.holdout')}
          description={t('campaigns.holdoutHelp')}
          value={holdout}
          onChange={(v) => setHoldout(typeof v === 'number' ? v : 0)}
          min={0}
          max={50}
          allowDecimal={false}
          suffix="%"
        />
        <NumberInput
          label={t('campaigns.attribution')}
          value={attribution}
          onChange={(v) => setAttribution(typeof v === 'number' ? v : 30)}
          min={1}
          max={365}
          allowDecimal={false}
        />
      </SimpleGrid>
      <ProblemAlert error={save.error} />
      <Group>
        <Button
          loading={save.isPending}
          disabled={!input.name || segmentIds.length === 0}
          onClick={() => save.mutate({ id: campaign?.id, version: campaign?.version, body: input })}
          data-testid="campaign-save"
        >
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
