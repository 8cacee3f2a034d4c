import { checkVkEvent } from '../../bots/vk/edge.js';
import { createVkEventHandler } from '../../bots/vk/handle-event.js';
import { VkLongPoll } from '../../bots/vk/long-poll.js';
import type { VkEvent } from '../../bots/vk/translate.js';
import type { AppConfig } from '../../config/index.js';
import { channelCursor } from '../../handlers/intake/index.js';
import { featureApis } from './features.js';
import type { Accept } from './inbox.js';
import { keepDeadLetter } from './inbox.js';
import type { Runtime } from './runtime.js';

/**
 * The VK community: its event handler decides stored VK events (worker role); with the vk role and
 * long poll mode it also reads the community's events. Returns the long poll to stop, if any.
 */
export function startVk(rt: Runtime, vk: NonNullable<AppConfig['vk']>, accept: Accept): VkLongPoll | null {
  const log = rt.log.child({ part: 'vk' });
  const api = rt.messengers().vkApi();
  const intake = rt.intake;
  const database = rt.database;
  if (!api || !intake || !database) throw new Error('VK intake needs the database and the queue');
  const handler = createVkEventHandler({
    intake,
    api,
    log,
    city: rt.domain.city,
    polls: featureApis(rt).polls,
    followUps: rt.followUps ?? undefined,
    onIgnored: (type) => rt.metrics.updatesIgnored.inc({ channel: 'vk', type }),
    onMalformed: (event, reason) => keepDeadLetter(rt, 'vk-event', reason, event),
  });
  rt.inbox?.register('vk', (payload) => handler(payload as VkEvent));
  let longPoll: VkLongPoll | null = null;
  if (vk.mode === 'longpoll' && rt.has('vk')) {
    longPoll = new VkLongPoll({
      api,
      groupId: vk.groupId,
      accept: (events) => accept('vk', 'vk-longpoll', events.map(checkVkEvent)),
      cursor: channelCursor({ db: database.db, clock: rt.clock }, `vk-longpoll:${vk.groupId}`),
      log,
      ...(rt.options.pollTimeoutSeconds ? { waitSeconds: rt.options.pollTimeoutSeconds } : {}),
    });
    longPoll.start();
  }
  log.info({ mode: vk.mode, groupId: vk.groupId }, 'VK community intake running');
  return longPoll;
}
