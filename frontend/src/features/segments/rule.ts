// A segment rule as the editor holds it, and its JSON form (the API's `SegmentRule`).
import type { components } from '@/api/schema';
import { PURPOSES } from '@/lib/purposes';

export type SegmentRule = components['schemas']['SegmentRule'];

export type Comparison = { kind: 'cmp'; field: Field; op: string; value: unknown; days?: number };
export type Group = { kind: 'group'; join: 'all' | 'any'; negate: boolean; items: Node[] };
export type Leaf = Comparison & { negate: boolean };
export type Node = Leaf | Group;

type Enums = components['schemas'];
export const CODED: Record<string, readonly string[]> = {
  gender: ['male', 'female'] satisfies Enums['Gender'][],
  customer_type: ['individual', 'household_member'] satisfies Enums['CustomerType'][],
  income_band: ['low', 'lower_middle', 'middle', 'upper_middle', 'high'] satisfies Enums['IncomeBand'][],
  source_channel: [
    'sales',
    'service',
    'survey',
    'third_party',
    'self_web',
    'self_hotline',
    'self_app',
  ] satisfies Enums['SourceChannel'][],
  tier: ['A', 'B', 'C', 'D'],
  level: ['gold', 'silver', 'bronze'] satisfies Enums['MemberLevel'][],
  band: ['high', 'medium', 'low'] satisfies Enums['ValueBand'][],
  lifecycle: ['active', 'potential', 'dormant', 'churn_risk'] satisfies Enums['Lifecycle'][],
};

export const FIELDS = [
  'gender',
  'customer_type',
  'income_band',
  'source_channel',
  'tier',
  'level',
  'band',
  'lifecycle',
  'tag',
  'reachable',
  'created_at',
  'consent',
  'spent_fen',
  'purchase_count',
] as const;
export type Field = (typeof FIELDS)[number];

export const CONSENT_PURPOSES: readonly string[] = PURPOSES;

/** The operators a field takes, the first being the default. */
export function operators(field: Field): string[] {
  if (field in CODED) return ['in'];
  if (field === 'created_at') return ['after', 'before'];
  if (field === 'consent') return [...CONSENT_PURPOSES];
  if (field === 'spent_fen' || field === 'purchase_count') return ['gt', 'gte', 'lt', 'lte', 'eq'];
  return ['eq'];
}

export function defaultValue(field: Field): unknown {
  if (field in CODED) return [CODED[field]?.[0]];
  if (field === 'reachable') return true;
  if (field === 'created_at') return new Date().toISOString().slice(0, 10);
  if (field === 'consent') return 'granted';
  if (field === 'spent_fen' || field === 'purchase_count') return 0;
  return '';
}

export function comparison(field: Field): Leaf {
  const days = field === 'spent_fen' || field === 'purchase_count' ? 90 : undefined;
  return { kind: 'cmp', field, op: operators(field)[0] ?? 'eq', value: defaultValue(field), days, negate: false };
}

export const emptyRule = (): Group => ({ kind: 'group', join: 'all', negate: false, items: [comparison('gender')] });

/** The editor's tree as the API reads it; null while a value is missing. */
export function toJson(node: Node): SegmentRule | null {
  let json: Record<string, unknown>;
  if (node.kind === 'group') {
    const items = node.items.map(toJson);
    if (items.length === 0 || items.some((i) => i === null)) return null;
    json = { [node.join]: items };
  } else {
    if (node.value === '' || (Array.isArray(node.value) && node.value.length === 0)) return null;
    json = { field: node.field, op: node.op, value: node.value };
    if (node.days !== undefined) json.days = node.days;
  }
  return (node.negate ? { not: json } : json) as SegmentRule;
}

/** A saved rule back into the editor (a lone comparison becomes a group of one). */
export function fromJson(json: unknown): Group {
  const node = read(json);
  return node.kind === 'group' ? node : { kind: 'group', join: 'all', negate: false, items: [node] };
}

function read(json: unknown): Node {
  const j = json as Record<string, unknown>;
  if ('not' in j) return { ...read(j.not), negate: true };
  if ('all' in j || 'any' in j) {
    const join = 'all' in j ? 'all' : 'any';
    return { kind: 'group', join, negate: false, items: (j[join] as unknown[]).map(read) };
  }
  const field = j.field as Field;
  const value = field in CODED && !Array.isArray(j.value) ? [j.value] : j.value;
  const op = field in CODED ? 'in' : (j.op as string);
  return { kind: 'cmp', field, op, value, days: j.days as number | undefined, negate: false };
}
