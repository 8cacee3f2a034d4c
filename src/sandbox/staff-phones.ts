import type { DomainConfig } from '../../config/domain.js';
import { BotInbox } from './bot-inbox.js';
import type { MaxApiFake } from './max-fake.js';
import { MaxInbox, MaxPhone } from './max-phone.js';
import { sandboxMaxDepartment, sandboxRoster } from './sandbox-staff.js';
import type { StaffPhone } from './staff-phone.js';
import type { TelegramEmulator } from './telegram-emulator.js';
import { TelegramPhone } from './telegram-phone.js';

/** Where the simulated staff work: the Telegram emulator, and the MAX fake when the sandbox runs MAX (else all are in Telegram). */
export interface StaffMessengers {
  emulator: TelegramEmulator;
  maxFake: MaxApiFake | null;
}

/** The roster's phones, and the inboxes that hand them the bot's messages (started and stopped with the staff). */
export interface StaffPhones {
  phones: StaffPhone[];
  inboxes: { start(): void; stop(): void }[];
}

/**
 * A phone for every person of the roster: a MAX one for the MAX department's official and head (when
 * the sandbox runs MAX), a Telegram one for everyone else.
 */
export function staffPhones(domain: DomainConfig, messengers: StaffMessengers, signal: AbortSignal): StaffPhones {
  const telegram = new BotInbox(messengers.emulator);
  const max = messengers.maxFake ? new MaxInbox(messengers.maxFake) : null;
  const roster = sandboxRoster(domain, { maxDepartment: max ? sandboxMaxDepartment(domain) : null });
  return {
    phones: roster.map((p) =>
      p.messenger === 'max' && max ? new MaxPhone(max, p, signal) : new TelegramPhone(telegram, p, signal),
    ),
    inboxes: max ? [telegram, max] : [telegram],
  };
}
