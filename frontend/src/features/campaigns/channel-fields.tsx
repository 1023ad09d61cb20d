import { Input, SegmentedControl, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { CHANNELS, type Channel } from './api';

/** A message's channel, and its subject when it is an email (campaigns and care rules alike). */
export function ChannelFields({
  channel,
  onChannel,
  subject,
  onSubject,
}: {
  channel: Channel;
  onChannel: (c: Channel) => void;
  subject: string;
  onSubject: (s: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Input.Wrapper label={t('campaigns.channel')}>
        <div>
          <SegmentedControl
            aria-label={t('campaigns.channel')}
            data={CHANNELS.map((c) => ({ value: c, label: t(`campaigns.channels.${c}`) }))}
            value={channel}
            onChange={(v) => onChannel(v as Channel)}
          />
        </div>
      </Input.Wrapper>
      {channel === 'email' && (
        <TextInput
          label={t('campaigns.subject')}
          value={subject}
          onChange={(e) => onSubject(e.currentTarget.value)}
          maxLength={200}
        />
      )}
    </>
  );
}
