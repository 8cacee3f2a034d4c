import type { ButtonAction } from '../../bots/outbound/buttons.js';
import { decodeCallback, encodeCallback } from '../../bots/telegram/callback-data.js';
import { ru } from '../../bots/texts/ru.js';
import type { BotMessage } from './bot-inbox.js';
import { NOTICE_TOPIC } from './broadcast-texts.js';

/**
 * How a simulated citizen fills in the /subscribe screen (bots/telegram/features/subscriptions.ts), as a
 * person reads it: their home district unless it already has a ✓ (a previous run, or before an
 * «Отписаться»), now and then the whole city instead, sometimes the outages topic, then «Готово».
 */

/** Share of citizens who leave the districts alone: the whole city. */
const WHOLE_CITY_SHARE = 0.25;
/** Share who also tick the outages topic (the rest get every topic): both hear the operator's notices. */
const TOPIC_SHARE = 0.5;

type Toggle = Extract<ButtonAction, { type: 'sub_toggle' }>;

/** What the citizen presses, in order (Telegram callback data), and which districts' broadcasts then reach them. */
export interface SubscriptionPlan {
  presses: string[];
  /** The district pressed or already ticked; every district on the screen for the whole city. */
  reachedBy: string[];
  district: string | null;
  topic: string | null;
}

/** Whether `message` is the /subscribe screen (a district button under it). */
export function isSubscriptionScreen(message: BotMessage): boolean {
  return toggles(message).some((t) => t.what === 'district');
}

/** The presses of citizen number `index` on the screen `message`. */
export function subscriptionPlan(message: BotMessage, index: number, random: () => number): SubscriptionPlan {
  const all = toggles(message);
  const ticked = (t: Toggle) => (message.labels.get(encodeCallback(t)) ?? '').startsWith(ru.subscriptions.chosen(''));
  const districts = all.filter((t) => t.what === 'district');
  const topics = all.filter((t) => t.what === 'topic');
  const presses: string[] = [];

  const already = districts.filter(ticked);
  let district = already[0] ?? null;
  if (!district && random() >= WHOLE_CITY_SHARE) {
    district = districts[index % Math.max(1, districts.length)] ?? null;
    if (district) presses.push(encodeCallback(district));
  }
  let topic = topics.find(ticked) ?? null;
  if (!topic && random() < TOPIC_SHARE) {
    topic = topics.find((t) => t.id === NOTICE_TOPIC) ?? null;
    if (topic) presses.push(encodeCallback(topic));
  }
  presses.push(encodeCallback({ type: 'sub_done' }));
  return {
    presses,
    reachedBy: (already.length > 0 ? already : district ? [district] : districts).map((d) => d.id),
    district: district?.id ?? null,
    topic: topic?.id ?? null,
  };
}

/** The broadcast a message is, by its «Отписаться» button; null for any other message. */
export function broadcastOf(message: BotMessage): number | null {
  for (const data of message.buttons) {
    const action = decodeCallback(data);
    if (action?.type === 'unsubscribe' && action.broadcastId !== null) return action.broadcastId;
  }
  return null;
}

function toggles(message: BotMessage): Toggle[] {
  return message.buttons.flatMap((data) => {
    const action = decodeCallback(data);
    return action?.type === 'sub_toggle' ? [action] : [];
  });
}
