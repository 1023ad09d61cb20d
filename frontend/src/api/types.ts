import type { components } from './schema';

type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type Unit = Schemas['Unit'];
export type User = Schemas['User'];
export type Role = Schemas['Role'];
export type ApiKey = Schemas['ApiKey'];
export type AuditEntry = Schemas['AuditEntry'];
export type Job = Schemas['Job'];
export type Verification = Schemas['Verification'];

export const STAFF_ROLES: Role[] = ['admin', 'compliance', 'manager', 'agent', 'sales', 'auditor'];
export type Customer = Schemas['Customer'];
export type CreateCustomer = Schemas['CreateCustomer'];
export type RevealPurpose = Schemas['RevealPurpose'];
