import type { Role } from '../../config/domain.js';

/** One simulated member of staff in the sandbox (an official or an operator with a Telegram id). */
export interface SandboxPerson {
  telegramUserId: number;
  /** How the log names them: a role and a department, never a name. */
  handle: string;
  name: string;
  role: Role;
  department: string;
}
