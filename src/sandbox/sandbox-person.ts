import type { Role } from '../../config/domain.js';

/** The messengers a simulated member of staff can work in. */
export type SandboxMessenger = 'telegram' | 'max';

/** One simulated member of staff in the sandbox: a fictional person with a fictional account on one messenger. */
export interface SandboxPerson {
  /** Where they work: their invite is opened there, and their cards, reminders and notices come there. */
  messenger: SandboxMessenger;
  /** The account's user id: Telegram's `from.id`, MAX's `user_id`. */
  userId: number;
  /** Their private chat with the bot: Telegram's is the user id; MAX gives each dialog its own chat id. */
  chatId: number;
  /** How the log names them: a role and a department, never a name. */
  handle: string;
  name: string;
  role: Role;
  department: string;
}
