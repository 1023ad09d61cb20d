import { Button, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { toast } from '@/lib/notify';

/** Staff: issue a consent link for the customer and copy it. */
export function ConsentLinkButton({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const issue = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/customers/{id}/consent-links', { params: { path: { id: customerId } }, body: { valid_days: 7 } }),
      ),
  });
  const url = issue.data ? `${globalThis.location.origin}${issue.data.url}` : '';
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="light" onClick={() => issue.mutate()} loading={issue.isPending} data-testid="consent-link-issue">
          {t('selfService.issue')}
        </Button>
        {issue.data && (
          <Button variant="subtle" onClick={() => void navigator.clipboard?.writeText(url).then(() => toast('common.copied'))}>
            {t('selfService.copy')}
          </Button>
        )}
      </Group>
      <ProblemAlert error={issue.error} />
      {issue.data && (
        <Text size="xs" style={{ wordBreak: 'break-all' }} data-testid="consent-link-url">
          {url}
          <br />
          {t('selfService.expires', { at: formatTime(issue.data.expires_at, i18n.language) })}
        </Text>
      )}
    </Stack>
  );
}
