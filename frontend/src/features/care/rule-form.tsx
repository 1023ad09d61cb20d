import { Button, Group, NumberInput, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ProblemAlert } from '@/components/problem-alert';
import { ChannelFields, type Channel } from '@/features/campaigns';

import { KINDS, useCreateRule, type CareKind, type CareRuleInput } from './api';

/** A new care rule: what it watches for, when, and the message (switched on by a second manager). */
export function RuleForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<CareKind>('birthday');
  const [channel, setChannel] = useState<Channel>('sms');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('{{name}}您好，');
  const [days, setDays] = useState<number>(7);
  const [monthDay, setMonthDay] = useState('');
  const save = useCreateRule(onSaved);
  const input: CareRuleInput = {
    name: name.trim(),
    kind,
    channel,
    subject: channel === 'email' ? subject : undefined,
    body,
    days: kind === 'renewal' || kind === 'tip' ? days : undefined,
    month_day: kind === 'holiday' ? monthDay : undefined,
  };
  return (
    <Stack>
      <TextInput label={t('care.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={100} required />
      <Select
        label={t('care.kind')}
        data={KINDS.map((k) => ({ value: k, label: t(`care.kinds.${k}`) }))}
        value={kind}
        onChange={(v) => v && setKind(v as CareKind)}
        allowDeselect={false}
      />
      {(kind === 'renewal' || kind === 'tip') && (
        <NumberInput
          label={t(kind === 'renewal' ? 'care.daysBefore' : 'care.daysAfter')}
          value={days}
          onChange={(v) => setDays(typeof v === 'number' ? v : 0)}
          min={kind === 'tip' ? 1 : 0}
          max={365}
          allowDecimal={false}
        />
      )}
      {kind === 'holiday' && (
        <TextInput
          label={t('care.monthDay')}
          placeholder="10-01"
          value={monthDay}
          onChange={(e) => setMonthDay(e.currentTarget.value)}
          maxLength={5}
        />
      )}
      <ChannelFields channel={channel} onChannel={setChannel} subject={subject} onSubject={setSubject} />
      <Textarea
        label={t('campaigns.body')}
        description={t('care.bodyHelp', { name: '{{name}}' })}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={2000}
      />
      <ProblemAlert error={save.error} />
      <Group>
        <Button loading={save.isPending} disabled={!input.name} onClick={() => save.mutate(input)} data-testid="care-save">
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
