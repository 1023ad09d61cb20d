import { Alert, Badge, Button, Checkbox, Group, Modal, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { Customer } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { purposeLabel } from '@/lib/purposes';

/**
 * Review and merge two possible duplicates: choose which record survives, see every field of the
 * result (a dry run on the server), take single fields from the other record, then merge.
 */
export function MergeDialog({ a, b, onClose }: { a: Customer; b: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [keep, setKeep] = useState<'a' | 'b'>('a');
  const [take, setTake] = useState<string[]>([]);
  const [target, source] = keep === 'a' ? [a, b] : [b, a];
  const body = (dry_run: boolean) => ({
    source_id: source.id,
    target_version: target.version,
    source_version: source.version,
    dry_run,
    take_from_source: take,
  });
  const preview = useQuery({
    queryKey: ['merge-preview', target.id, source.id, take],
    queryFn: async () =>
      unwrap(await api.POST('/api/v1/customers/{id}/merge', { params: { path: { id: target.id } }, body: body(true) })),
  });
  const merge = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/customers/{id}/merge', { params: { path: { id: target.id } }, body: body(false) })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['customers'] });
      onClose();
      navigate(`/customers/${target.id}`);
    },
  });
  const p = preview.data?.preview;
  const consentState = (g?: boolean | null) =>
    g == null ? (
      '—'
    ) : (
      <Badge color={g ? 'green' : 'red'} variant="light">
        {g ? t('consent.granted') : t('consent.withdrawn')}
      </Badge>
    );
  return (
    <Modal opened onClose={onClose} title={t('merge.title')} size="xl">
      <Stack>
        <Group>
          <Text size="sm">{t('merge.keep')}</Text>
          <SegmentedControl
            value={keep}
            onChange={(v) => {
              setKeep(v as 'a' | 'b');
              setTake([]);
            }}
            data={[
              { value: 'a', label: `${a.name} (${a.mobile ?? '—'})` },
              { value: 'b', label: `${b.name} (${b.mobile ?? '—'})` },
            ]}
          />
        </Group>
        <ProblemAlert error={preview.error ?? merge.error} />
        {p && (
          <>
            <Table striped data-testid="merge-preview">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('merge.field')}</Table.Th>
                  <Table.Th>{t('merge.survivor')}</Table.Th>
                  <Table.Th>{t('merge.other')}</Table.Th>
                  <Table.Th>{t('merge.result')}</Table.Th>
                  <Table.Th>{t('merge.takeOther')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.fields.map((f) => {
                  const show = (v?: string | null) => (v == null ? '—' : f.field === 'gender' ? t(`enums.gender.${v}`) : v);
                  return (
                    <Table.Tr key={f.field}>
                      <Table.Td>{t(`merge.fields.${f.field}`)}</Table.Td>
                      <Table.Td>{show(f.target)}</Table.Td>
                      <Table.Td>{show(f.source)}</Table.Td>
                      <Table.Td>
                        {show(f.merged)}{' '}
                        {f.from === 'source' && (
                          <Badge size="xs" color="orange">
                            {t('merge.fromOther')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {f.source != null && f.target != null && f.from !== 'same' && (
                          <Checkbox
                            checked={take.includes(f.field)}
                            onChange={(e) =>
                              setTake(e.currentTarget.checked ? [...take, f.field] : take.filter((x) => x !== f.field))
                            }
                            aria-label={`take ${f.field}`}
                          />
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            {p.consents.length > 0 && (
              <Table data-testid="merge-consents">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('consent.purpose')}</Table.Th>
                    <Table.Th>{t('merge.survivor')}</Table.Th>
                    <Table.Th>{t('merge.other')}</Table.Th>
                    <Table.Th>{t('merge.result')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.consents.map((c) => (
                    <Table.Tr key={c.purpose}>
                      <Table.Td>{purposeLabel(t, c.purpose)}</Table.Td>
                      <Table.Td>{consentState(c.target)}</Table.Td>
                      <Table.Td>{consentState(c.source)}</Table.Td>
                      <Table.Td>{consentState(c.merged)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Alert color="blue">
              {t('merge.moves', {
                purchases: p.moves.purchases,
                preferences: p.moves.preferences,
                feedback: p.moves.feedback,
                contacts: p.moves.contacts,
              })}{' '}
              {t('merge.undoable')}
            </Alert>
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="orange"
            onClick={() => merge.mutate()}
            loading={merge.isPending}
            disabled={!p}
            data-testid="merge-confirm"
          >
            {t('merge.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
