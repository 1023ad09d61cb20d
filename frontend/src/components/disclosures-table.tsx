import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { components } from '@/api/schema';
import { formatTime } from '@/lib/format';

type Share = components['schemas']['Share'];

/** Who received a customer's data, when, why, what and how: for staff and for the customer. */
export function DisclosuresTable({ shares }: { shares: Share[] }) {
  const { t, i18n } = useTranslation();
  if (shares.length === 0) return <Text c="dimmed">{t('consent.noDisclosures')}</Text>;
  return (
    <Table data-testid="disclosures">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('selfService.when')}</Table.Th>
          <Table.Th>{t('selfService.who')}</Table.Th>
          <Table.Th>{t('selfService.why')}</Table.Th>
          <Table.Th>{t('selfService.what')}</Table.Th>
          <Table.Th>{t('selfService.how')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {shares.map((s) => (
          <Table.Tr key={s.id}>
            <Table.Td>{formatTime(s.shared_at, i18n.language)}</Table.Td>
            <Table.Td>{s.partner_name}</Table.Td>
            <Table.Td>{s.purpose}</Table.Td>
            <Table.Td>{s.fields.join(', ')}</Table.Td>
            <Table.Td>{t(`selfService.channels.${s.channel}`)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
