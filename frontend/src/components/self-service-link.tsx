import { Button, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { toast } from '@/lib/notify';

/** Staff: issue the customer a link to their own page — their consents, or their service
 * requests — and copy it (to send by SMS or email). */
export function SelfServiceLinkButton({ customerId, page }: { customerId: string; page: 'consent' | 'tickets' }) {
  const { t, i18n } = useTranslation();
  const issue = useMutation({
    mutationFn: async () => {
      const params = { path: { id: customerId } };
      const body = { valid_days: 7 };
      return unwrap(
        page === 'consent'
          ? await api.POST('/api/v1/customers/{id}/consent-links', { params, body })
          : await api.POST('/api/v1/customers/{id}/ticket-links', { params, body }),
      );
    },
  });
  const testId = `${page}-link`;
  const url = issue.data ? `${globalThis.location.origin}${issue.data.url}` : '';
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="light" onClick={() => issue.mutate()} loading={issue.isPending} data-testid={`${testId}-issue`}>
          {t(page === 'consent' ? 'selfService.issue' : 'selfTickets.issue')}
        </Button>
        {issue.data && (
          <Button variant="subtle" onClick={() => void navigator.clipboard?.writeText(url).then(() => toast('common.copied'))}>
            {t('selfService.copy')}
          </Button>
        )}
      </Group>
      <ProblemAlert error={issue.error} />
      {issue.data && (
        <Text size="xs" style={{ wordBreak: 'break-all' }} data-testid={`${testId}-url`}>
          {url}
          <br />
          {t('selfService.expires', { at: formatTime(issue.data.expires_at, i18n.language) })}
        </Text>
      )}
    </Stack>
  );
}
