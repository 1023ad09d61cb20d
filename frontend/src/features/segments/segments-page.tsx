import { Badge, Button, Card, Grid, Group, NavLink, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ListTable } from '@/components/list-table';
import { ProblemAlert } from '@/components/problem-alert';
import { can, useMe } from '@/lib/use-me';

import { useMembers, usePreviewCount, useSaveSegment, useSegments } from './api';
import { emptyRule, fromJson, toJson, type Group as RuleGroup } from './rule';
import { RuleEditor } from './rule-editor';
import { SnapshotPanel } from './snapshot-panel';

/** Rule segments: the saved ones, a builder with the live count as the rule changes, and the
 * members of the chosen segment (masked like the customer list). */
export function SegmentsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const segments = useSegments();
  const [chosen, setChosen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [rule, setRule] = useState<RuleGroup>(emptyRule);
  const [debounced] = useDebouncedValue(rule, 400);
  const json = toJson(debounced);
  const count = usePreviewCount(json);
  const members = useMembers(chosen);
  const save = useSaveSegment(setChosen);
  const current = segments.data?.find((s) => s.id === chosen);
  const open = (id: string | null) => {
    const s = segments.data?.find((x) => x.id === id);
    setChosen(id);
    setName(s?.name ?? '');
    setRule(s ? fromJson(s.rule) : emptyRule());
  };
  const manages = can(me, 'segments:manage');
  const ready = toJson(rule);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('segments.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('segments.help')}
      </Text>
      <Grid>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Card withBorder p="xs">
            <NavLink label={t('segments.new')} active={chosen === null} onClick={() => open(null)} />
            {segments.data?.map((s) => (
              <NavLink key={s.id} label={s.name} active={chosen === s.id} onClick={() => open(s.id)} data-testid="segment-item" />
            ))}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack>
            <Group align="end">
              <TextInput
                label={t('segments.name')}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                w={280}
                disabled={!manages}
              />
              <Badge size="lg" variant="light" data-testid="segment-count">
                {count.data
                  ? t('segments.count', {
                      count: count.data.count,
                      shown: new Intl.NumberFormat(i18n.language).format(count.data.count),
                    })
                  : '…'}
              </Badge>
            </Group>
            <RuleEditor group={rule} onChange={setRule} />
            <ProblemAlert error={count.error ?? save.error} />
            {manages && (
              <Group>
                <Button
                  disabled={!ready || !name.trim()}
                  loading={save.isPending}
                  onClick={() =>
                    ready && save.mutate({ id: current?.id, version: current?.version, name: name.trim(), rule: ready })
                  }
                  data-testid="segment-save"
                >
                  {t(current ? 'segments.update' : 'segments.save')}
                </Button>
              </Group>
            )}
            {chosen && (
              <>
                <SnapshotPanel id={chosen} manages={manages} />
                <Title order={2} size="h4">
                  {t('segments.members')}
                </Title>
                <ProblemAlert error={members.error} />
                <ListTable striped data-testid="segment-members">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('customers.name')}</Table.Th>
                      <Table.Th>{t('customers.mobile')}</Table.Th>
                      <Table.Th>{t('customers.tags')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {members.data?.items.length === 0 && (
                      <Table.Tr>
                        <Table.Td colSpan={3}>
                          <Text size="sm" c="dimmed">
                            {t('segments.noMembers')}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    )}
                    {members.data?.items.map((c) => (
                      <Table.Tr key={c.id}>
                        <Table.Td>
                          <Link to={`/customers/${c.id}`}>{c.name}</Link>
                        </Table.Td>
                        <Table.Td>{c.mobile ?? '—'}</Table.Td>
                        <Table.Td>{c.tags.join(', ')}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </ListTable>
              </>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
