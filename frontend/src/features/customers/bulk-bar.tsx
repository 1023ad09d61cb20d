import { Button, Card, Group, Select, TagsInput, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';

import { customerKeys } from './api';
import { ExportDialog } from './export-dialog';

const NO_FILTERS = { q: '', tag: '', tier: '', lifecycle: '' };

/** What can be done to the rows selected in the list: add tags, give them an account manager
 * (all or nothing, on the server), export them. */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const client = useQueryClient();
  const [tags, setTags] = useState<string[]>([]);
  const [owner, setOwner] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const colleagues = useQuery({
    queryKey: ['users', 'colleagues'],
    enabled: can(me, 'users:read'),
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 500, active: true } } })),
  });
  const apply = useMutation({
    meta: { toast: 'bulk.done' },
    mutationFn: async (body: { add_tags?: string[]; owner_ids?: string[] }) =>
      unwrap(await api.POST('/api/v1/customers/bulk-updates', { body: { ids, ...body } })),
    onSuccess: () => {
      setTags([]);
      setOwner(null);
      void client.invalidateQueries({ queryKey: customerKeys.all });
      onDone();
    },
  });
  const owners = (colleagues.data?.items ?? [])
    .filter((u) => ['manager', 'agent', 'sales'].includes(u.role ?? ''))
    .map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})` }));
  return (
    <Card withBorder data-testid="bulk-bar">
      <Group align="end">
        <Text fw={500}>{t('bulk.selected', { count: ids.length })}</Text>
        <TagsInput label={t('bulk.addTags')} value={tags} onChange={setTags} w={240} data-testid="bulk-tags" />
        <Button disabled={tags.length === 0} loading={apply.isPending} onClick={() => apply.mutate({ add_tags: tags })}>
          {t('bulk.applyTags')}
        </Button>
        {owners.length > 0 && (
          <>
            <Select label={t('bulk.owner')} data={owners} value={owner} onChange={setOwner} searchable w={220} />
            <Button disabled={!owner} loading={apply.isPending} onClick={() => owner && apply.mutate({ owner_ids: [owner] })}>
              {t('bulk.assign')}
            </Button>
          </>
        )}
        {can(me, 'customers:export') && (
          <Button variant="default" onClick={() => setExporting(true)} data-testid="bulk-export">
            {t('bulk.export')}
          </Button>
        )}
        <Button variant="subtle" onClick={onDone}>
          {t('bulk.clear')}
        </Button>
      </Group>
      <ProblemAlert error={apply.error} />
      <ExportDialog opened={exporting} onClose={() => setExporting(false)} filters={NO_FILTERS} ids={ids} />
    </Card>
  );
}
