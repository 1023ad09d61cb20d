import { Badge, Card, NumberInput, Select, Switch, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';

import { useSetStrategy, useStrategies, type ClassStrategy, type Strategy } from './api';

const SLA = ['urgent', 'priority', 'standard'] as const;

/** The service strategy of each class (SEG-6): edited in place by managers of the whole group. */
export function StrategiesCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const strategies = useStrategies();
  const save = useSetStrategy();
  const put = (c: ClassStrategy, change: Partial<Strategy>) => {
    const { class: cls, priority, sla_class, green_channel, dedicated_manager, campaign_eligible } = c;
    save.mutate({ cls, strategy: { priority, sla_class, green_channel, dedicated_manager, campaign_eligible, ...change } });
  };
  const className = (cls: string) => {
    const [kind, value] = cls.split(':');
    return kind === 'tier'
      ? t('tiers.tierName', { tier: value })
      : t(`tiers.${kind === 'level' ? 'levels' : 'lifecycles'}.${value}`);
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t('tiers.strategies')}
      </Title>
      <ProblemAlert error={strategies.error ?? save.error} />
      <ListTable striped data-testid="strategies" minWidth={640}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('tiers.class')}</Table.Th>
            <Table.Th>{t('tiers.priority')}</Table.Th>
            <Table.Th>{t('tiers.slaClass')}</Table.Th>
            <Table.Th>{t('tiers.greenChannel')}</Table.Th>
            <Table.Th>{t('tiers.dedicatedManager')}</Table.Th>
            <Table.Th>{t('tiers.campaigns')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {strategies.data?.map((c) => {
            const name = className(c.class);
            return (
              <Table.Tr key={c.class}>
                <Table.Th scope="row">
                  {name}{' '}
                  {!c.customised && (
                    <Badge variant="light" color="gray">
                      {t('tiers.default')}
                    </Badge>
                  )}
                </Table.Th>
                <Table.Td>
                  <NumberInput
                    aria-label={`${name}: ${t('tiers.priority')}`}
                    value={c.priority}
                    min={1}
                    max={4}
                    w={70}
                    disabled={!editable}
                    onChange={(v) => typeof v === 'number' && v >= 1 && v <= 4 && put(c, { priority: v })}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`${name}: ${t('tiers.slaClass')}`}
                    data={SLA.map((s) => ({ value: s, label: t(`tiers.sla.${s}`) }))}
                    value={c.sla_class}
                    w={130}
                    disabled={!editable}
                    allowDeselect={false}
                    onChange={(v) => v && put(c, { sla_class: v as Strategy['sla_class'] })}
                  />
                </Table.Td>
                {(['green_channel', 'dedicated_manager', 'campaign_eligible'] as const).map((k) => (
                  <Table.Td key={k}>
                    <Switch
                      aria-label={`${name}: ${t(`tiers.${k === 'green_channel' ? 'greenChannel' : k === 'dedicated_manager' ? 'dedicatedManager' : 'campaigns'}`)}`}
                      checked={c[k]}
                      disabled={!editable}
                      onChange={(e) => put(c, { [k]: e.currentTarget.checked })}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </ListTable>
    </Card>
  );
}
