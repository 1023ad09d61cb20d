import { Badge, Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { can, useMe } from '@/lib/use-me';

import { useCampaigns, type CampaignState } from './api';
import { CampaignForm } from './campaign-form';

export const STATE_COLOR: Record<CampaignState, string> = {
  draft: 'gray',
  pending_approval: 'yellow',
  scheduled: 'blue',
  running: 'teal',
  completed: 'green',
  cancelled: 'red',
};

/** Campaigns (MKT-1): planned by marketing, approved by a second manager, sent only to those
 * whose consent holds when the message leaves. */
export function CampaignsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const campaigns = useCampaigns();
  const navigate = useNavigate();
  // `?new=1&segment=<id>` (from the churn queue) opens the form with that target.
  const [search] = useSearchParams();
  const [creating, setCreating] = useState(search.get('new') === '1');
  const target = search.get('segment');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('campaigns.title')}
        </Title>
        {can(me, 'campaigns:manage') && (
          <Button onClick={() => setCreating(true)} data-testid="campaign-new">
            {t('campaigns.new')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('campaigns.help')}
      </Text>
      <ProblemAlert error={campaigns.error} />
      <ListTable striped data-testid="campaign-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('campaigns.name')}</Table.Th>
            <Table.Th>{t('campaigns.channel')}</Table.Th>
            <Table.Th>{t('campaigns.state')}</Table.Th>
            <Table.Th>{t('campaigns.audience')}</Table.Th>
            <Table.Th>{t('campaigns.starts')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {campaigns.data?.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text size="sm" c="dimmed">
                  {t('campaigns.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {campaigns.data?.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
              </Table.Td>
              <Table.Td>{t(`campaigns.channels.${c.channel}`)}</Table.Td>
              <Table.Td>
                <Badge color={STATE_COLOR[c.state]} variant="light">
                  {t(`campaigns.states.${c.state}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{c.audience}</Table.Td>
              <Table.Td>{formatTime(c.starts_at, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('campaigns.new')} size="lg">
        <CampaignForm segmentIds={target ? [target] : undefined} onSaved={(c) => void navigate(`/campaigns/${c.id}`)} />
      </Modal>
    </Stack>
  );
}
