import { Alert, Badge, Card, Container, Group, Spoiler, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { publicApi } from '@/api/client';
import { unwrap } from '@/api/problem';
import { LanguageSwitch } from '@/components/language-switch';
import { ProblemAlert } from '@/components/problem-alert';
import { purposeLabel } from '@/lib/purposes';
import { DisclosuresTable } from '@/components/disclosures-table';
import { formatTime } from '@/lib/format';

/** The link token, from the URL fragment (never sent to a server in the page request). */
function linkToken() {
  return decodeURIComponent(globalThis.location?.hash.replace(/^#/, '') ?? '');
}

/** The customer's own page, opened from a consent link: the notice, a switch per purpose,
 * the history of their choices and who received their data. No staff account involved. */
export function SelfServicePage() {
  const { t, i18n } = useTranslation();
  const [token] = useState(linkToken);
  const headers = { Authorization: `Bearer ${token}` };
  const client = useQueryClient();
  const view = useQuery({
    queryKey: ['self-service'],
    enabled: token !== '',
    retry: false,
    queryFn: async () => unwrap(await publicApi.GET('/api/v1/self-service/consents', { headers })),
  });
  const choose = useMutation({
    mutationFn: async ({ purpose, granted }: { purpose: string; granted: boolean }) =>
      unwrap(await publicApi.POST('/api/v1/self-service/consents', { headers, body: { purpose, granted } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['self-service'] }),
  });
  const v = view.data;
  const state = (purpose: string) => v?.current.find((c) => c.purpose === purpose);
  return (
    <Container size="sm" py="lg">
      <Stack>
        <Group justify="space-between">
          <Title order={1} size="h2">
            {t('selfService.title')}
          </Title>
          <LanguageSwitch />
        </Group>
        {token === '' && <Alert color="orange">{t('selfService.noLink')}</Alert>}
        <ProblemAlert error={view.error} />
        {v && (
          <>
            <Text data-testid="self-service-greeting">
              {t('selfService.greeting', { name: v.display_name, controller: v.controller })}
            </Text>
            <Text size="sm" c="dimmed">
              {t('selfService.expires', { at: formatTime(v.expires_at, i18n.language) })}
            </Text>
            {v.notice ? (
              <Card withBorder>
                <Text fw={600}>
                  {v.notice.title} · v{v.notice.version}
                </Text>
                <Text size="sm">{t('selfService.retention', { retention: v.notice.retention })}</Text>
                <Spoiler maxHeight={60} showLabel={t('selfService.more')} hideLabel={t('selfService.less')}>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {v.notice.body}
                  </Text>
                </Spoiler>
              </Card>
            ) : (
              <Alert color="gray">{t('selfService.noNotice')}</Alert>
            )}
            <ProblemAlert error={choose.error} />
            {choose.data && (
              <Alert color="green" data-testid="self-service-saved">
                {t('selfService.saved', { id: choose.data.receipt.receipt_id })}
              </Alert>
            )}
            <Card withBorder p={0}>
              <Table data-testid="self-service-purposes">
                <Table.Tbody>
                  {v.purposes.map((p) => {
                    const c = state(p);
                    return (
                      <Table.Tr key={p} data-purpose={p}>
                        <Table.Td>{purposeLabel(t, p)}</Table.Td>
                        <Table.Td>
                          <Text size="xs" c="dimmed">
                            {c ? formatTime(c.recorded_at, i18n.language) : t('selfService.undecided')}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Switch
                            aria-label={purposeLabel(t, p)}
                            checked={!!c?.granted}
                            disabled={choose.isPending || (!v.notice && !c?.granted)}
                            onChange={(e) => choose.mutate({ purpose: p, granted: e.currentTarget.checked })}
                            data-testid="self-service-switch"
                          />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Card>
            <Title order={4}>{t('selfService.disclosures')}</Title>
            <DisclosuresTable shares={v.disclosures} />
            <Title order={4}>{t('consent.history')}</Title>
            <Table striped>
              <Table.Tbody>
                {v.history.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>{formatTime(c.recorded_at, i18n.language)}</Table.Td>
                    <Table.Td>{purposeLabel(t, c.purpose)}</Table.Td>
                    <Table.Td>
                      <Badge color={c.granted ? 'green' : 'red'} variant="light">
                        {c.granted ? t('consent.granted') : t('consent.withdrawn')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{c.self_service ? t('consent.selfService') : t(`consent.channels.${c.channel}`)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Container>
  );
}
