import { Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';

import { byDay, useCalendar, useCareRules, useSwitchRule, whenOf } from './api';
import { RuleForm } from './rule-form';

/** Customer care (MKT-5): rules that each morning become that day's campaign, and what the coming
 * two weeks hold. */
export function CarePage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const rules = useCareRules();
  const calendar = useCalendar(14);
  const toggle = useSwitchRule();
  const [creating, setCreating] = useState(false);
  const dateOf = (d: string) =>
    new Date(`${d}T00:00:00`).toLocaleDateString(i18n.language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
    });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('care.title')}
        </Title>
        {can(me, 'campaigns:manage') && (
          <Button onClick={() => setCreating(true)} data-testid="care-new">
            {t('care.new')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('care.help')}
      </Text>
      <ProblemAlert error={rules.error ?? toggle.error} />
      <ListTable striped data-testid="care-rules">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('care.name')}</Table.Th>
            <Table.Th>{t('care.kind')}</Table.Th>
            <Table.Th>{t('care.whenLabel')}</Table.Th>
            <Table.Th>{t('campaigns.channel')}</Table.Th>
            <Table.Th>{t('care.status')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rules.data?.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text size="sm" c="dimmed">
                  {t('care.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rules.data?.map((r) => {
            const when = whenOf(r);
            return (
              <Table.Tr key={r.id}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{t(`care.kinds.${r.kind}`)}</Table.Td>
                <Table.Td>{t(when.key, when.values)}</Table.Td>
                <Table.Td>{t(`campaigns.channels.${r.channel}`)}</Table.Td>
                <Table.Td>
                  <Badge color={r.active ? 'green' : 'gray'} variant="light">
                    {t(r.active ? 'care.on' : 'care.off')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {can(me, 'campaigns:approve') && (
                    <Button
                      size="xs"
                      variant="light"
                      loading={toggle.isPending && toggle.variables?.id === r.id}
                      onClick={() => toggle.mutate({ id: r.id, on: !r.active })}
                    >
                      {t(r.active ? 'care.switchOff' : 'care.switchOn')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </ListTable>
      <Title order={2} size="h4">
        {t('care.calendar')}
      </Title>
      <ProblemAlert error={calendar.error} />
      {calendar.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('care.calendarEmpty')}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} data-testid="care-calendar">
        {byDay(calendar.data ?? []).map(([date, entries]) => (
          <Card key={date} withBorder p="sm">
            <Text fw={700} size="sm">
              {dateOf(date)}
            </Text>
            {entries.map((e) => (
              <Text key={e.rule_id} size="sm">
                {e.rule_name} · {t('care.customers', { count: e.customers })}
              </Text>
            ))}
          </Card>
        ))}
      </SimpleGrid>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('care.new')} size="lg">
        <RuleForm onSaved={() => setCreating(false)} />
      </Modal>
    </Stack>
  );
}
