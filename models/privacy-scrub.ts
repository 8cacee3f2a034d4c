import { sql } from 'kysely';
import type { Tx } from './database.js';
import { ANONYMISED, type CitizenToAnonymise, citizenMessages } from './privacy-repository.js';

/**
 * The platform ids, profiles, raw updates and chat ids of anonymised citizens removed
 * (docs/operations/personal-data.md#what-is-removed). Texts are masked separately
 * (models/privacy-repository.ts); here nothing is read back.
 */

/** Lets this transaction rewrite audit details and entity ids (migration 0037); ends with the transaction. */
export async function allowAuditScrub(tx: Tx): Promise<void> {
  await sql`select set_config('mcu.privacy_scrub', 'on', true)`.execute(tx);
}

/**
 * Removes everything that names or reaches the citizens: the profile and platform id (a unique
 * placeholder instead), the messages' platform ids, raw updates, links, threads and file ids (the kind of
 * each attachment stays), coordinates rounded to 3 decimals (~100 m: the street block, not the house),
 * the private chat's id, subscriptions' and broadcast recipients' chat ids, page comments' author ids,
 * and the consent entries' `<channel>:<platform id>` in the audit trail.
 */
export async function removePlatformIds(
  tx: Tx,
  citizens: readonly CitizenToAnonymise[],
  now: Date,
  withdrawConsent: boolean,
): Promise<void> {
  const ids = citizens.map((c) => c.id);
  const consentKeys = citizens.map((c) => `${c.channel}:${c.external_id}`);
  await allowAuditScrub(tx);
  await sql`update audit_log l set entity_id = c.id::text
      from citizen c
     where l.entity = 'citizen' and l.entity_id = any(${consentKeys}::text[])
       and c.id = any(${ids}::bigint[]) and l.entity_id = c.channel || ':' || c.external_id`.execute(tx);
  await sql`update page_comment pc set author_id = ${ANONYMISED}
      from official_page p, citizen c
     where p.id = pc.page_id and c.channel = p.platform and c.external_id = pc.author_id
       and c.id = any(${ids}::bigint[])`.execute(tx);
  // Private chats: the chat's id is the person's (Telegram, VK) or their dialog with the bot (MAX); only they write there.
  await sql`update source s set external_id = ${ANONYMISED} || ':' || s.id, title = null, updated_at = ${now}
     where s.kind = 'private' and s.external_id not like ${`${ANONYMISED}:%`}
       and s.id in (select m.source_id from message m where m.citizen_id = any(${ids}::bigint[]) and m.kind = 'private')`.execute(
    tx,
  );
  await sql`update message set
        external_id = ${ANONYMISED} || ':' || id,
        platform_ids = '{}'::jsonb,
        attachments = coalesce((select jsonb_agg(jsonb_build_object('type', a->>'type'))
                                  from jsonb_array_elements(attachments) a), '[]'::jsonb),
        geo_lat = round(geo_lat::numeric, 3)::float8,
        geo_lon = round(geo_lon::numeric, 3)::float8,
        permalink = null,
        thread = null,
        raw = '{}'::jsonb
     where id in (select m.id from ${citizenMessages(ids)} m)`.execute(tx);
  await sql`update subscription set chat_id = ${ANONYMISED}, active = false, updated_at = ${now}
     where citizen_id = any(${ids}::bigint[])`.execute(tx);
  // A send in flight is skipped rather than aimed at a chat we no longer know.
  await sql`update broadcast_recipient set
        chat_id = ${ANONYMISED} || ':' || citizen_id,
        status = case when status in ('pending', 'sending') then 'skipped' else status end,
        reason = case when status in ('pending', 'sending') then 'forgotten' else reason end
     where citizen_id = any(${ids}::bigint[])`.execute(tx);
  await sql`update citizen set
        external_id = ${ANONYMISED} || ':' || id,
        display_name = null, username = null, phone = null, email = null,
        force_new_case = false, anonymised_at = ${now}, updated_at = ${now}
        ${withdrawConsent ? sql`, consent = 'declined', consent_at = ${now}` : sql``}
     where id = any(${ids}::bigint[])`.execute(tx);
}

/**
 * What waits for the citizens stops: pending «дополнение или новое?» and «Это обращение?» questions are
 * dropped (their timeouts would open cases), polls not answered become unreachable, an active
 * subscription ends (recorded like any ending, via `forget`). Returns how many subscriptions ended.
 */
export async function stopWaitingFor(tx: Tx, citizenIds: readonly number[], now: Date): Promise<number> {
  const ids = [...citizenIds];
  await sql`update follow_up_choice set state = 'dropped', decided_by = 'forget', decided_at = ${now}
     where citizen_id = any(${ids}::bigint[]) and state = 'pending'`.execute(tx);
  await sql`update intent_question set state = 'dropped', decided_by = 'forget', decided_at = ${now}
     where citizen_id = any(${ids}::bigint[]) and state = 'pending'`.execute(tx);
  await sql`update poll set state = 'unreachable'
     where state in ('scheduled', 'asked', 'reminded')
       and case_id in (select id from "case" where citizen_id = any(${ids}::bigint[]))`.execute(tx);
  const ended = await sql`
    with ended as (
      update subscription set active = false, updated_at = ${now}
       where citizen_id = any(${ids}::bigint[]) and active
      returning citizen_id, channel, districts, topics
    )
    insert into subscription_event (citizen_id, channel, action, districts, topics, via, at)
    select citizen_id, channel, 'unsubscribe', districts, topics, 'forget', ${now} from ended`.execute(tx);
  return Number(ended.numAffectedRows ?? 0n);
}

/** Where a platform keeps the sender's id in its stored update (the inbox payload, a dead letter's raw body). */
const SENDER_PATHS: Readonly<Record<string, string>> = {
  telegram: '$ ? (@.*.from.id == $n || @.*.chat.id == $n || @.*.user.id == $n)',
  vk: '$ ? (@.object.message.from_id == $n || @.object.from_id == $n || @.object.user_id == $n || @.object.peer_id == $n)',
  'vk-wall': '$ ? (@.item.fromId == $n)',
  max: '$ ? (@.message.sender.user_id == $n || @.callback.user.user_id == $n || @.user.user_id == $n)',
};

/**
 * Scrubs the stored platform updates of one person (/forget): decided or parked inbox events and dead
 * letters that name them lose their payload (the event id stays, so a re-delivery is still dropped),
 * and so do their private lanes' events received up to `until` — the /forget itself included, whose
 * decision is under way: a retry of a scrubbed event decides nothing (each decider ignores the stub).
 */
export async function scrubStoredUpdates(
  tx: Tx,
  person: { channel: string; externalId: string },
  until: Date,
): Promise<{ events: number; deadLetters: number }> {
  if (!/^-?\d{1,18}$/.test(person.externalId)) return { events: 0, deadLetters: 0 };
  const channels = person.channel === 'vk' ? ['vk', 'vk-wall'] : [person.channel];
  const lanes = [
    ...['chat', 'user', 'peer'].map((l) => `${l}:${person.externalId}`),
    ...(await privateChatsOf(tx, person)).map((chat) => `chat:${chat}`),
  ];
  const vars = sql`jsonb_build_object('n', ${person.externalId}::numeric)`;
  const names = (column: 'payload' | 'raw', channel: string) => {
    const path = SENDER_PATHS[channel];
    return path ? sql`jsonb_path_exists(${sql.ref(column)}, ${path}::jsonpath, ${vars})` : sql`false`;
  };
  let events = 0;
  let deadLetters = 0;
  for (const channel of channels) {
    const stub = sql`jsonb_build_object('forgotten', true, 'update_id', payload->'update_id', 'type',
      case when channel = 'vk' then 'forgotten' end, 'update_type', case when channel = 'max' then 'forgotten' end)`;
    const scrubbed = await sql<{ id: number }>`
      update inbox_event set payload = jsonb_strip_nulls(${stub}), lane = 'forgotten:' || id
       where channel = ${channel} and received_at <= ${until} and not (payload ? 'forgotten')
         and ((status <> 'pending' and ${names('payload', channel)})
              or (lane = any(${lanes}::text[]) and ${channel} <> 'vk-wall'))
      returning id`.execute(tx);
    events += scrubbed.rows.length;
    const letters = await sql`
      update dead_letter set raw = '{"forgotten": true}'::jsonb
       where not (raw ? 'forgotten')
         and (inbox_id = any(${scrubbed.rows.map((r) => r.id)}::bigint[]) or ${names('raw', channel)})`.execute(tx);
    deadLetters += Number(letters.numAffectedRows ?? 0n);
  }
  return { events, deadLetters };
}

/** The private chats the person wrote to the bot from (MAX: a dialog's id is not the person's). */
async function privateChatsOf(tx: Tx, person: { channel: string; externalId: string }): Promise<string[]> {
  const rows = await sql<{ chat: string }>`
    select distinct s.external_id as chat from source s
      join message m on m.source_id = s.id and m.kind = 'private'
      join citizen c on c.id = m.citizen_id
     where c.channel = ${person.channel} and c.external_id = ${person.externalId} and s.kind = 'private'`.execute(tx);
  return rows.rows.map((r) => r.chat);
}
