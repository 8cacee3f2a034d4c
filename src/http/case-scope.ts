import type { FastifyRequest } from 'fastify';
import { caseDepartmentOf } from '../../handlers/people/index.js';
import type { Db } from '../../models/database.js';
import { NotFoundError } from '../errors.js';
import { departmentScope, requireCaseScope } from './principal.js';

/** 404 for no such case, 403 for a case outside the caller's departments; nothing for the service token. */
export async function requireCaseAccess(request: FastifyRequest, db: Db, caseId: number): Promise<void> {
  if (departmentScope(request) === null) return;
  const found = await caseDepartmentOf(db, caseId);
  if (!found) throw new NotFoundError(`case ${caseId}`);
  requireCaseScope(request, found.department);
}
