/**
 * Who did something, as the audit trail, answers, extension requests and reviews record it. Every
 * layer passes an `Actor`; only the repositories turn it into the stored text (`encodeActor`), and
 * whatever reads a stored actor back goes through `parseActor`, never through a regex of its own.
 * The stored forms predate this codec and rows carry them, so each must stay exactly as it is.
 */
export type Actor =
  /** `official:<id>`: a person acting in a messenger (buttons, replies) or with their personal API token. */
  | { type: 'official'; officialId: number }
  /** `operator:<id>`: an МЦУ operator acting with an operators' command or button. */
  | { type: 'operator'; officialId: number }
  /** `citizen:<channel>`: a citizen's own act (consent, poll, choice); `citizen` when the channel is not named. */
  | { type: 'citizen'; channel: string | null }
  /**
   * Someone opening an invite link on a messenger, before the account is bound to a person:
   * `telegram:<user id>` on Telegram (the form rows have carried since invites existed), and
   * `account:<channel>:<user id>` on any other messenger (a bare `<channel>:` head would clash with
   * `api:<author>` and the other heads, and would tie parsing to the list of channels).
   */
  | { type: 'account'; channel: string; userId: string }
  /** `platform:<channel>`: the messenger itself (the bot was added to a chat). */
  | { type: 'platform'; channel: string }
  /** `api:<author>`: the service token, with the author the caller named; `api` when none is named. */
  | { type: 'api'; author: string | null }
  /** `system`: the platform's own decision (a new case, a timeout). */
  | { type: 'system' }
  /** `cli`: the command line (scripts/). */
  | { type: 'cli' }
  /** `sandbox`: the sandbox's simulated staff. */
  | { type: 'sandbox' };

const CHANNEL = /^[a-z][a-z0-9_]*$/;
const ID = /^[1-9]\d{0,14}$/;

/** The stored text of an actor, e.g. `official:17`. */
export function encodeActor(actor: Actor): string {
  switch (actor.type) {
    case 'official':
    case 'operator':
      return `${actor.type}:${actor.officialId}`;
    case 'citizen':
      return actor.channel === null ? 'citizen' : `citizen:${actor.channel}`;
    case 'account':
      return actor.channel === 'telegram' ? `telegram:${actor.userId}` : `account:${actor.channel}:${actor.userId}`;
    case 'platform':
      return `platform:${actor.channel}`;
    case 'api':
      return actor.author === null ? 'api' : `api:${actor.author}`;
    case 'system':
    case 'cli':
    case 'sandbox':
      return actor.type;
  }
}

/** The actor behind a stored text, or null for a text no version of the platform writes. */
export function parseActor(text: string): Actor | null {
  if (text === 'system' || text === 'cli' || text === 'sandbox') return { type: text };
  if (text === 'citizen') return { type: 'citizen', channel: null };
  if (text === 'api') return { type: 'api', author: null };
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const head = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  switch (head) {
    case 'official':
    case 'operator':
      return ID.test(rest) ? { type: head, officialId: Number(rest) } : null;
    case 'citizen':
      return CHANNEL.test(rest) ? { type: 'citizen', channel: rest } : null;
    case 'platform':
      return CHANNEL.test(rest) ? { type: 'platform', channel: rest } : null;
    case 'telegram':
      return rest === '' ? null : { type: 'account', channel: 'telegram', userId: rest };
    case 'account': {
      const sep = rest.indexOf(':');
      const channel = rest.slice(0, sep);
      const userId = rest.slice(sep + 1);
      return sep > 0 && CHANNEL.test(channel) && userId !== '' ? { type: 'account', channel, userId } : null;
    }
    case 'api':
      // The author is whatever the API caller wrote (colons included): everything after the first colon.
      return { type: 'api', author: rest };
    default:
      return null;
  }
}
