import type { components } from './schema';
import { roleValues } from '@/api/schema';

type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type Unit = Schemas['Unit'];
export type User = Schemas['User'];
export type Role = Schemas['Role'];
export type ApiKey = Schemas['ApiKey'];
export type AuditEntry = Schemas['AuditEntry'];
export type Job = Schemas['Job'];
export type Verification = Schemas['Verification'];

/** Roles a person can have (integrations use API keys), from the API's own list. */
export const STAFF_ROLES: Role[] = roleValues.filter((r) => r !== 'integration');
export type Customer = Schemas['Customer'];
export type CreateCustomer = Schemas['CreateCustomer'];
export type RevealPurpose = Schemas['RevealPurpose'];
export type RevealField = Schemas['RevealField'];
export type QualityField = Schemas['QualityField'];

export type TopicFilter = Schemas['TopicFilter'];
export type GrantableScope = Schemas['GrantableScope'];
/** Every subscription a webhook may name, families first; `satisfies` keeps it in step with the API. */
export const TOPIC_FILTERS = [
  '*',
  'customer.*',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.merged',
  'customer.unmerged',
  'customer.restored',
  'customer.purchase.created',
  'customer.preference.created',
  'customer.feedback.created',
  'customer.contact.created',
  'consent.changed',
  'user.offboarded',
] as const satisfies readonly TopicFilter[];
export const GRANTABLE_SCOPES = [
  'org:read',
  'jobs:read',
  'audit:read',
  'tickets:read',
  'tickets:write',
] as const satisfies readonly GrantableScope[];
