import type { Role } from '../../config/domain.js';
import type { OfficialRow } from '../../models/people-repository.js';

/**
 * What a person may do; every command, button and API action names one. `citizens:data`: export or
 * anonymise one citizen's personal data on their request (152-ФЗ; docs/operations/personal-data.md).
 */
export type Action = 'cases:own-department' | 'cases:all' | 'triage' | 'people:manage' | 'citizens:data';

const ALL: readonly Action[] = ['cases:own-department', 'cases:all', 'triage', 'people:manage', 'citizens:data'];
const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  curator: ['cases:own-department', 'cases:all'],
  head: ALL,
  coordinator: ['cases:own-department', 'cases:all'],
  block_owner: ['cases:own-department', 'cases:all'],
  operator: ['cases:own-department', 'cases:all', 'triage', 'people:manage', 'citizens:data'],
  department_head: ['cases:own-department'],
  official: ['cases:own-department'],
};

/** True when an active person's role allows the action (an unknown or deactivated person may do nothing). */
export function may(person: Pick<OfficialRow, 'role' | 'active'> | undefined, action: Action): boolean {
  if (!person?.active) return false;
  return (PERMISSIONS[person.role as Role] ?? []).includes(action);
}
