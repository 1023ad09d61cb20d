import { Button, Checkbox, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { Customer, QualityField } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { qualityFieldValues } from '@/api/schema';

const FIELDS = qualityFieldValues;

/** Marks the fields just confirmed with the customer as verified (feeds the accuracy rate). */
export function VerifyDialog({ c, opened, onClose }: { c: Customer; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const filled = FIELDS.filter((f) => c[f] != null);
  const done = useQuery({
    queryKey: ['customers', c.id, 'verifications'],
    queryFn: async () => unwrap(await api.GET('/api/v1/customers/{id}/verifications', { params: { path: { id: c.id } } })),
    enabled: opened,
  });
  const [picked, setPicked] = useState<QualityField[]>([]);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/customers/{id}/verifications', { params: { path: { id: c.id } }, body: { fields: picked } }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['customers', c.id, 'verifications'] });
      setPicked([]);
      onClose();
    },
  });
  const verified = new Set(done.data?.map((v) => v.field));
  return (
    <Modal opened={opened} onClose={onClose} title={t('quality.verifyTitle')}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('quality.verifyHelp')}
        </Text>
        {filled.map((f) => (
          <Checkbox
            key={f}
            label={`${t(`merge.fields.${f}`)}${verified.has(f) ? ` ✓ ${t('quality.verified')}` : ''}`}
            checked={picked.includes(f)}
            onChange={(e) => setPicked(e.currentTarget.checked ? [...picked, f] : picked.filter((x) => x !== f))}
          />
        ))}
        <ProblemAlert error={save.error ?? done.error} />
        <Button onClick={() => save.mutate()} disabled={picked.length === 0} loading={save.isPending}>
          {t('quality.markVerified')}
        </Button>
      </Stack>
    </Modal>
  );
}
