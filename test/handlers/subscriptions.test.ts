import { beforeEach, describe, expect, it } from 'vitest';
import { type DomainConfig, loadDomainConfig } from '../../config/domain.js';
import {
  confirmSubscription,
  editSubscription,
  optOut,
  type SubscriptionChat,
  type SubscriptionDeps,
  type SubscriptionOutcome,
  type SubscriptionStore,
  showSubscription,
  unsubscribe,
} from '../../handlers/subscriptions/index.js';
import { ManualClock } from '../../lib/clock.js';
import type { Channel } from '../../models/intake.js';
import type { CitizenSubscription, SubscriptionChoice } from '../../models/subscription-repository.js';

/** The subscription_event rows an in-memory store appends. */
interface LoggedEvent {
  citizenId: number;
  channel: Channel;
  action: string;
  districts: string[];
  topics: string[];
  via: string;
  broadcastId: number | null;
  at: Date;
}

/** The store's contract in memory: the same rules as models/subscription-repository.ts. */
class MemoryStore implements SubscriptionStore {
  readonly citizens = new Map<string, CitizenSubscription>();
  readonly events: LoggedEvent[] = [];
  #nextId = 1;

  add(channel: Channel, externalId: string, consent: CitizenSubscription['consent'] = 'given'): CitizenSubscription {
    const citizen: CitizenSubscription = { citizenId: this.#nextId++, consent, optedOutAt: null, subscription: null };
    this.citizens.set(`${channel}:${externalId}`, citizen);
    return citizen;
  }
  #byId(citizenId: number): CitizenSubscription {
    const found = [...this.citizens.values()].find((c) => c.citizenId === citizenId);
    if (!found) throw new Error(`no citizen ${citizenId}`);
    return found;
  }
  async find(channel: Channel, externalId: string) {
    const c = this.citizens.get(`${channel}:${externalId}`);
    return c ? structuredClone(c) : undefined;
  }
  async saveDraft(target: { citizenId: number; channel: Channel; chatId: string }, choice: SubscriptionChoice) {
    const c = this.#byId(target.citizenId);
    if (c.subscription?.active) return false;
    c.subscription = { channel: target.channel, chatId: target.chatId, ...structuredClone(choice), active: false };
    return true;
  }
  async save(target: { citizenId: number; channel: Channel; chatId: string }, choice: SubscriptionChoice, via: string, at: Date) {
    const c = this.#byId(target.citizenId);
    const action = c.subscription?.active ? ('change' as const) : ('subscribe' as const);
    c.subscription = { channel: target.channel, chatId: target.chatId, ...structuredClone(choice), active: true };
    c.optedOutAt = null;
    this.events.push({ citizenId: c.citizenId, channel: target.channel, action, ...choice, via, broadcastId: null, at });
    return action;
  }
  async end(who: { citizenId: number; channel: Channel }, via: string, at: Date) {
    const c = this.#byId(who.citizenId);
    if (!c.subscription?.active) return false;
    c.subscription.active = false;
    const { districts, topics } = c.subscription;
    this.events.push({ ...who, action: 'unsubscribe', districts, topics, via, broadcastId: null, at });
    return true;
  }
  async optOut(who: { citizenId: number; channel: Channel }, broadcastId: number | null, at: Date) {
    const c = this.#byId(who.citizenId);
    const wasActive = c.subscription?.active === true;
    if (!wasActive && c.optedOutAt !== null) return false;
    const choice =
      wasActive && c.subscription
        ? { districts: c.subscription.districts, topics: c.subscription.topics }
        : { districts: [], topics: [] };
    if (c.subscription) c.subscription.active = false;
    c.optedOutAt ??= at;
    this.events.push({ ...who, action: 'opt_out', ...choice, via: 'broadcast', broadcastId, at });
    return true;
  }
}

const BARNAUL = loadDomainConfig('config/barnaul.yaml');
const CHAT: SubscriptionChat = { channel: 'telegram', externalId: '7001', chatId: '7001' };

const chosen = (outcome: SubscriptionOutcome) => {
  if (!('view' in outcome)) throw new Error(`no view in ${outcome.status}`);
  return {
    districts: outcome.view.districts.filter((d) => d.chosen).map((d) => d.id),
    topics: outcome.view.topics.filter((t) => t.chosen).map((t) => t.id),
    wholeCity: outcome.view.wholeCity,
    allTopics: outcome.view.allTopics,
    active: outcome.view.active,
  };
};

describe('subscriptions (handlers/subscriptions) with an in-memory store', () => {
  let store: MemoryStore;
  let clock: ManualClock;
  let deps: SubscriptionDeps;

  beforeEach(() => {
    store = new MemoryStore();
    clock = new ManualClock('2026-03-02T09:00:00Z');
    deps = { store, clock, domain: BARNAUL };
  });

  const toggle = (what: 'district' | 'topic', id: string, chat = CHAT) =>
    editSubscription(deps, chat, { type: 'toggle', what, id });

  it('when a citizen who never consented asks to subscribe or presses a button, then consent is asked for and nothing is written', async () => {
    expect(await showSubscription(deps, CHAT)).toEqual({ status: 'consent_required' });
    store.add('telegram', '7001', 'declined');
    expect(await toggle('district', 'central')).toEqual({ status: 'consent_required' });
    expect(await confirmSubscription(deps, CHAT)).toEqual({ status: 'consent_required' });
    expect(store.events).toEqual([]);
    expect((await store.find('telegram', '7001'))?.subscription).toBeNull();
  });

  it('when asked in a group chat, then it is refused politely — subscribing and leaving are private', async () => {
    store.add('telegram', '7001');
    const group = { ...CHAT, chatId: null };
    expect(await showSubscription(deps, group)).toEqual({ status: 'private_only' });
    expect(await toggle('district', 'central', group)).toEqual({ status: 'private_only' });
    expect(await confirmSubscription(deps, group)).toEqual({ status: 'private_only' });
    expect(await unsubscribe(deps, group, 'command')).toEqual({ status: 'private_only' });
  });

  it('when a new subscriber picks two districts and a topic and presses «Готово», then the draft logs nothing and «Готово» logs one subscribe', async () => {
    store.add('telegram', '7001');
    expect(chosen(await showSubscription(deps, CHAT))).toEqual({
      districts: [],
      topics: [],
      wholeCity: true,
      allTopics: true,
      active: false,
    });
    await toggle('district', 'leninsky');
    await toggle('district', 'central');
    const afterTopic = await toggle('topic', 'outages');
    // Domain order, whatever the order of the presses.
    expect(chosen(afterTopic)).toEqual({
      districts: ['central', 'leninsky'],
      topics: ['outages'],
      wholeCity: false,
      allTopics: false,
      active: false,
    });
    expect(store.events).toEqual([]);

    const done = await confirmSubscription(deps, CHAT);
    expect(done).toMatchObject({ status: 'subscribed', action: 'subscribe' });
    expect(chosen(done).active).toBe(true);
    expect(store.events).toEqual([
      {
        citizenId: 1,
        channel: 'telegram',
        action: 'subscribe',
        districts: ['central', 'leninsky'],
        topics: ['outages'],
        via: 'button',
        broadcastId: null,
        at: new Date('2026-03-02T09:00:00Z'),
      },
    ]);
    expect((await store.find('telegram', '7001'))?.subscription).toMatchObject({ chatId: '7001', active: true });
  });

  it('when «Готово» is pressed with nothing chosen, then the subscription is the whole city and every topic', async () => {
    store.add('telegram', '7001');
    expect(await confirmSubscription(deps, CHAT)).toMatchObject({ status: 'subscribed', action: 'subscribe' });
    expect(store.events[0]).toMatchObject({ action: 'subscribe', districts: [], topics: [] });
  });

  it('when a subscriber changes the choice, then each press is saved at once and logged as a change; «Весь город» clears the districts', async () => {
    store.add('telegram', '7001');
    await toggle('district', 'central');
    await confirmSubscription(deps, CHAT);
    clock.advance(60_000);
    expect(chosen(await toggle('district', 'industrial'))).toMatchObject({ districts: ['central', 'industrial'], active: true });
    expect(chosen(await editSubscription(deps, CHAT, { type: 'city' }))).toMatchObject({ districts: [], wholeCity: true });
    expect(store.events.map((e) => [e.action, e.districts])).toEqual([
      ['subscribe', ['central']],
      ['change', ['central', 'industrial']],
      ['change', []],
    ]);
    expect(store.events[1]?.at).toEqual(new Date('2026-03-02T09:01:00Z'));
  });

  it('when the same district is pressed twice, then it is off again and nothing is left: the whole city', async () => {
    store.add('telegram', '7001');
    await toggle('district', 'oktyabrsky');
    expect(chosen(await toggle('district', 'oktyabrsky'))).toMatchObject({ districts: [], wholeCity: true });
  });

  it('when a press changes nothing («Весь город» while it is already so, «Готово» twice), then nothing is redrawn or logged', async () => {
    store.add('telegram', '7001');
    await confirmSubscription(deps, CHAT);
    expect(await editSubscription(deps, CHAT, { type: 'city' })).toMatchObject({ status: 'choice', changed: false });
    expect(await confirmSubscription(deps, CHAT)).toMatchObject({ status: 'subscribed', action: null });
    expect(store.events.map((e) => e.action)).toEqual(['subscribe']);
  });

  it('when a button names a district or topic the domain file does not have, then it is refused with the current choice and nothing is saved', async () => {
    store.add('telegram', '7001');
    await toggle('district', 'central');
    const stale = await toggle('district', 'atlantis');
    expect(stale.status).toBe('stale');
    expect(chosen(stale).districts).toEqual(['central']);
    expect((await toggle('topic', 'central')).status).toBe('stale'); // a district's id is no topic
    expect((await store.find('telegram', '7001'))?.subscription?.districts).toEqual(['central']);
  });

  it('when the domain file has no broadcasts section, then there are no topics and a topic button is stale', async () => {
    const { broadcasts: _none, ...withoutBroadcasts } = BARNAUL;
    deps = { ...deps, domain: withoutBroadcasts as DomainConfig };
    store.add('telegram', '7001');
    const shown = await showSubscription(deps, CHAT);
    expect(shown.status === 'choice' && shown.view.topics).toEqual([]);
    expect((await toggle('topic', 'outages')).status).toBe('stale');
  });

  it('when a stored choice names a district the file no longer has, then it is dropped from what is shown and saved', async () => {
    const c = store.add('telegram', '7001');
    c.subscription = { channel: 'telegram', chatId: '7001', districts: ['gone', 'central'], topics: ['gone'], active: false };
    expect(chosen(await showSubscription(deps, CHAT))).toMatchObject({ districts: ['central'], allTopics: true });
    await confirmSubscription(deps, CHAT);
    expect(store.events[0]).toMatchObject({ districts: ['central'], topics: [] });
  });

  it('when the messenger says the bot may not write to the person, then nothing is saved and they are told; an unknown answer does not block', async () => {
    store.add('vk', '555');
    const vk = { channel: 'vk' as const, externalId: '555', chatId: '555' };
    expect(await confirmSubscription(deps, vk, { messagesAllowed: async () => false })).toEqual({
      status: 'messages_not_allowed',
    });
    expect(store.events).toEqual([]);
    expect(await confirmSubscription(deps, vk, { messagesAllowed: async () => null })).toMatchObject({ status: 'subscribed' });
    expect(store.events.map((e) => [e.channel, e.action])).toEqual([['vk', 'subscribe']]);
  });

  it('when a subscriber sends /unsubscribe, then the subscription ends (logged with the choice); a second time they are told they are not subscribed', async () => {
    store.add('telegram', '7001');
    await toggle('topic', 'snow');
    await confirmSubscription(deps, CHAT);
    expect(await unsubscribe(deps, CHAT, 'command')).toEqual({ status: 'unsubscribed' });
    expect(await unsubscribe(deps, CHAT, 'button')).toEqual({ status: 'not_subscribed' });
    expect(store.events.map((e) => [e.action, e.via, e.topics])).toEqual([
      ['subscribe', 'button', ['snow']],
      ['unsubscribe', 'command', ['snow']],
    ]);
    // The last choice stays as the start of the next /subscribe.
    expect(chosen(await showSubscription(deps, CHAT))).toMatchObject({ topics: ['snow'], active: false });
  });

  it('when «Отписаться» under a broadcast is pressed, then the opt-out is logged with the broadcast, once; /subscribe and «Готово» lift it', async () => {
    store.add('telegram', '7001');
    await confirmSubscription(deps, CHAT);
    expect(await optOut(deps, CHAT, 42)).toEqual({ status: 'opted_out' });
    expect(await optOut(deps, CHAT, 42)).toEqual({ status: 'opted_out' });
    expect(store.events.map((e) => [e.action, e.broadcastId])).toEqual([
      ['subscribe', null],
      ['opt_out', 42],
    ]);
    const shown = await showSubscription(deps, CHAT);
    expect(shown.status === 'choice' && shown.view.optedOut).toBe(true);
    await confirmSubscription(deps, CHAT);
    expect((await store.find('telegram', '7001'))?.optedOutAt).toBeNull();
  });

  it('when someone unknown presses «Отписаться» under a broadcast, then they are told they are out and nothing is written', async () => {
    expect(await optOut(deps, { channel: 'max', externalId: '1' }, 3)).toEqual({ status: 'opted_out' });
    expect(store.events).toEqual([]);
  });
});
