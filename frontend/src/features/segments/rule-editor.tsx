import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { purposeLabel } from '@/lib/purposes';

import {
  CODED,
  comparison,
  CONSENT_PURPOSES,
  FIELDS,
  operators,
  type Field,
  type Group as RuleGroup,
  type Leaf,
  type Node,
} from './rule';

/** One comparison: the field, its operator and a value input of the field's kind. */
function LeafEditor({ node, onChange }: { node: Leaf; onChange: (n: Leaf) => void }) {
  const { t } = useTranslation();
  const set = (patch: Partial<Leaf>) => onChange({ ...node, ...patch });
  const coded = CODED[node.field];
  const label = (f: string) => t(`segments.fields.${f}`);
  let value;
  if (coded) {
    value = (
      <MultiSelect
        aria-label={t('segments.value')}
        data={coded.map((v) => ({ value: v, label: node.field === 'tier' ? v : t(`segments.values.${node.field}.${v}`) }))}
        value={node.value as string[]}
        onChange={(v) => set({ value: v })}
        w={260}
      />
    );
  } else if (node.field === 'reachable') {
    value = (
      <Switch
        aria-label={t('segments.value')}
        checked={node.value === true}
        onChange={(e) => set({ value: e.currentTarget.checked })}
        mt={6}
      />
    );
  } else if (node.field === 'consent') {
    value = (
      <Select
        aria-label={t('segments.value')}
        data={['granted', 'withdrawn', 'never'].map((v) => ({ value: v, label: t(`segments.consentStates.${v}`) }))}
        value={node.value as string}
        onChange={(v) => set({ value: v ?? 'granted' })}
        allowDeselect={false}
        w={160}
      />
    );
  } else if (node.field === 'spent_fen' || node.field === 'purchase_count') {
    const yuan = node.field === 'spent_fen';
    value = (
      <Group gap="xs">
        <NumberInput
          aria-label={t('segments.value')}
          value={yuan ? (node.value as number) / 100 : (node.value as number)}
          min={0}
          hideControls
          prefix={yuan ? '¥' : undefined}
          onChange={(v) => set({ value: Math.round((typeof v === 'number' ? v : 0) * (yuan ? 100 : 1)) })}
          w={120}
        />
        <NumberInput
          aria-label={t('segments.days')}
          value={node.days}
          min={1}
          max={3650}
          hideControls
          suffix={` ${t('segments.daysSuffix')}`}
          onChange={(v) => set({ days: typeof v === 'number' ? v : 90 })}
          w={120}
        />
      </Group>
    );
  } else {
    value = (
      <TextInput
        aria-label={t('segments.value')}
        type={node.field === 'created_at' ? 'date' : 'text'}
        value={node.value as string}
        onChange={(e) => set({ value: e.currentTarget.value })}
        w={200}
      />
    );
  }
  const ops = operators(node.field);
  return (
    <Group gap="xs" align="start" data-testid="segment-condition">
      <Select
        aria-label={t('segments.field')}
        data={FIELDS.map((f) => ({ value: f, label: label(f) }))}
        value={node.field}
        onChange={(f) => f && onChange({ ...comparison(f as Field), negate: node.negate })}
        allowDeselect={false}
        w={170}
      />
      {ops.length > 1 && (
        <Select
          aria-label={t('segments.operator')}
          data={ops.map((o) => ({
            value: o,
            label: node.field === 'consent' && CONSENT_PURPOSES.includes(o) ? purposeLabel(t, o) : t(`segments.ops.${o}`),
          }))}
          value={node.op}
          onChange={(o) => set({ op: o ?? ops[0] ?? 'eq' })}
          allowDeselect={false}
          w={150}
        />
      )}
      {value}
    </Group>
  );
}

/** A group of conditions joined by all/any, each of which may be negated or removed. */
export function RuleEditor({
  group,
  onChange,
  depth = 0,
}: {
  group: RuleGroup;
  onChange: (g: RuleGroup) => void;
  depth?: number;
}) {
  const { t } = useTranslation();
  const replace = (i: number, n: Node) => onChange({ ...group, items: group.items.map((x, j) => (j === i ? n : x)) });
  const remove = (i: number) => onChange({ ...group, items: group.items.filter((_, j) => j !== i) });
  return (
    <Card withBorder p="sm" bg={depth % 2 ? 'gray.0' : undefined}>
      <Stack gap="xs">
        <SegmentedControl
          size="xs"
          w="fit-content"
          value={group.join}
          onChange={(v) => onChange({ ...group, join: v as 'all' | 'any' })}
          data={[
            { value: 'all', label: t('segments.all') },
            { value: 'any', label: t('segments.any') },
          ]}
        />
        {group.items.map((item, i) => (
          <Group key={i} align="start" gap="xs" wrap="nowrap">
            <Checkbox
              mt={8}
              label={t('segments.not')}
              checked={item.negate}
              onChange={(e) => replace(i, { ...item, negate: e.currentTarget.checked })}
            />
            {item.kind === 'group' ? (
              <RuleEditor group={item} onChange={(g) => replace(i, g)} depth={depth + 1} />
            ) : (
              <LeafEditor node={item} onChange={(n) => replace(i, n)} />
            )}
            <ActionIcon variant="subtle" color="red" mt={4} aria-label={t('segments.remove')} onClick={() => remove(i)}>
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            onClick={() => onChange({ ...group, items: [...group.items, comparison('tag')] })}
            data-testid="segment-add"
          >
            {t('segments.addCondition')}
          </Button>
          {depth < 3 && (
            <Button
              size="xs"
              variant="subtle"
              onClick={() =>
                onChange({
                  ...group,
                  items: [...group.items, { kind: 'group', join: 'any', negate: false, items: [comparison('tag')] }],
                })
              }
            >
              {t('segments.addGroup')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
