import { Alert, Button, Checkbox, Group, Modal, Select, Stack, Table } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import type { RevealField, RevealPurpose } from '@/api/types';
import { ProblemAlert } from '@/components/problem-alert';
import { revealFieldValues, revealPurposeValues } from '@/api/schema';

const FIELDS = revealFieldValues;
const LABELS: Record<string, string> = {
  name: 'customers.name',
  mobile: 'customers.mobile',
  national_id: 'customers.nationalId',
  email: 'customers.email',
  address: 'customers.address',
  birth_date: 'customers.birthDate',
};
const PURPOSES = revealPurposeValues;

/** Full values need a stated purpose; the server audits each reveal and limits how many. */
export function RevealDialog({ customerId, opened, onClose }: { customerId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [fields, setFields] = useState<RevealField[]>(['mobile']);
  const [purpose, setPurpose] = useState<RevealPurpose | null>(null);
  const reveal = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/customers/{id}/reveal', {
          params: { path: { id: customerId } },
          body: { fields, purpose: purpose! },
        }),
      ),
  });
  const close = () => {
    reveal.reset();
    onClose();
  };
  const values = reveal.data?.values as Record<string, string | null> | undefined;
  return (
    <Modal opened={opened} onClose={close} title={t('customers.revealTitle')}>
      <Stack>
        <Alert color="yellow">{t('customers.revealNote')}</Alert>
        <Select
          label={t('customers.purpose')}
          required
          value={purpose}
          onChange={(v) => setPurpose(v as RevealPurpose)}
          data={PURPOSES.map((p) => ({ value: p, label: t(`enums.purpose.${p}`) }))}
        />
        <Checkbox.Group label={t('customers.fields')} value={fields} onChange={setFields}>
          <Group mt="xs">
            {FIELDS.map((f) => (
              <Checkbox key={f} value={f} label={t(LABELS[f] ?? f)} />
            ))}
          </Group>
        </Checkbox.Group>
        <ProblemAlert error={reveal.error} />
        {values && (
          <Table data-testid="revealed">
            <Table.Tbody>
              {Object.entries(values).map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Td>{t(LABELS[k] ?? k)}</Table.Td>
                  <Table.Td>{v ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group justify="flex-end">
          <Button onClick={() => reveal.mutate()} disabled={!purpose || fields.length === 0} loading={reveal.isPending}>
            {t('customers.reveal')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
