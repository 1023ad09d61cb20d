import { Alert, Button, Container, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { publicApi } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { components } from '@/api/schema';
import { LanguageSwitch } from '@/components/language-switch';
import { ProblemAlert } from '@/components/problem-alert';

type Channel = components['schemas']['MarketingChannel'];

/** Where the unsubscribe link of a campaign message leads: one button withdraws that channel's
 * marketing consent (a link scanner opening the page withdraws nothing). The token stays in the
 * fragment, never in a request for the page. */
export function UnsubscribePage() {
  const { t } = useTranslation();
  const { channel = 'email' } = useParams();
  const token = decodeURIComponent(globalThis.location?.hash.replace(/^#/, '') ?? '');
  const known = (['sms', 'email', 'push', 'phone'] as string[]).includes(channel);
  const name = known ? t(`campaigns.channels.${channel}`) : channel;
  const withdraw = useMutation({
    meta: { toast: false },
    mutationFn: async () =>
      unwrap(
        await publicApi.POST('/api/v1/self-service/unsubscribe/{channel}', {
          params: { path: { channel: channel as Channel } },
          headers: { Authorization: `Bearer ${token}` },
        }),
      ),
  });
  return (
    <Container size="sm" py="lg">
      <Stack>
        <Group justify="space-between">
          <Title order={1} size="h2">
            {t('unsubscribe.title')}
          </Title>
          <LanguageSwitch />
        </Group>
        {token === '' || !known ? (
          <Alert color="orange">{t('unsubscribe.noLink')}</Alert>
        ) : withdraw.data ? (
          <Alert color="green" data-testid="unsubscribe-done">
            {t('unsubscribe.done', { channel: name, id: withdraw.data.consent.id })}
          </Alert>
        ) : (
          <>
            <Text>{t('unsubscribe.question', { channel: name })}</Text>
            <ProblemAlert error={withdraw.error} />
            <Group>
              <Button loading={withdraw.isPending} onClick={() => withdraw.mutate()} data-testid="unsubscribe-confirm">
                {t('unsubscribe.confirm')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Container>
  );
}
