import { APIError } from 'vk-io';
import type { BroadcastContent, BulkRecipient, BulkResult } from '../../models/broadcast.js';
import {
  type BulkFailure,
  downloadPhoto,
  laneOf,
  type MessengerBroadcaster,
  type MessengerLimits,
  PerBroadcast,
  type PhotoDownload,
  PictureUnreadable,
  readPicture,
} from '../outbound/broadcast-port.js';
import { renderBroadcast } from '../outbound/render.js';
import { splitText } from '../split-text.js';
import { stableRandomId, type VkBulkApi } from './api.js';
import { vkKeyboard } from './keyboards.js';
import { isPlatformFailure, isVkSideError } from './outbound.js';

/** VK's limit on a message's text. */
const TEXT_MAX = 4096;

/**
 * The random_id of one part of one broadcast. VK deduplicates a random_id per dialog (the community's
 * dialog with each peer), and a messages.send with peer_ids carries one random_id for all of them, so the
 * id is derived from what is the same for every recipient of the broadcast — its id and the part —
 * and not from the batch: a batch re-formed after a crash or a retry (other rows, another order) keeps
 * every peer's random_id, and VK delivers each part to each peer once. Two broadcasts, or a broadcast and a
 * notification (keyed by their job), never share one (bar a 31-bit hash collision in one dialog). VK
 * keeps the check for its recent history of the dialog (about an hour, the last 100 messages): a retry
 * after that is not protected.
 */
export function broadcastRandomId(broadcastId: number, part: number): number {
  return stableRandomId(`broadcast:${broadcastId}:${part}`);
}

/**
 * `randomIdScope: call`: one random_id per call's set of peers (sorted), for a VK that checks a random_id
 * across the community's whole history — the same call retried keeps its id (VK drops the repeat), another
 * call never shares it. A batch re-formed after a crash gets a new id: its in-flight peers may get it twice.
 */
export function callRandomId(broadcastId: number, part: number, peers: readonly number[]): number {
  return stableRandomId(`broadcast:${broadcastId}:${part}:${[...peers].sort((a, b) => a - b).join(',')}`);
}

/** VK's per-recipient errors for a user the community can no longer write to. */
const BLOCKED = new Set([900, 901, 902]);

/**
 * VK's side of the broadcast port: `messages.send` with up to `peersPerCall` `peer_ids` a call, in the
 * broadcast's lane of the community token's pacer (the one the channel port's VK client takes priority
 * tokens from), with the intent for its kind (`vkIntents`: an emergency, subscribers, the citizens of
 * cases). The answer is read recipient by recipient: a message id → `sent`; 900/901/902 → `blocked`;
 * 944 (the intent's limit) → `retry` after `vk.intentLimitBackoffSeconds` of the domain file; 6, 9 →
 * `retry` shortly; 1, 10 (VK failing on its side) → `failed`, transient; any other (a refused peer or
 * intent) → `failed`, the recipient's own. A failure of the whole call is every recipient's. A text over 4,096 characters
 * goes in parts, each part to those the previous one reached; the picture is uploaded once per
 * broadcast and attached to the first part, «Отписаться» under the last.
 */
export class VkBroadcaster implements MessengerBroadcaster {
  readonly channel = 'vk';
  readonly #photos = new PerBroadcast<string>();

  constructor(
    private readonly api: VkBulkApi,
    private readonly limits: Pick<MessengerLimits, 'vk' | 'vkIntents'>,
    private readonly download: PhotoDownload = downloadPhoto,
  ) {}

  batchSize(): number {
    return this.limits.vk.peersPerCall;
  }

  /**
   * Calls in flight: about half a second of the token's rate, enough to keep it busy at VK's latency.
   * A call repeated after a crash delivers nothing twice (random_id), so this bounds work, not duplicates.
   */
  concurrency(): number {
    return Math.max(1, Math.ceil(this.limits.vk.requestsPerSecond / 2));
  }

  async send(content: BroadcastContent, recipients: readonly BulkRecipient[]): Promise<BulkResult[]> {
    const results = new Map<number, BulkResult>();
    const seqsOf = new Map<number, number[]>();
    for (const { seq, chatId } of recipients) {
      const peerId = Number(chatId);
      if (!Number.isSafeInteger(peerId) || peerId === 0) results.set(seq, { seq, status: 'failed', reason: 'not a VK peer id' });
      else seqsOf.set(peerId, [...(seqsOf.get(peerId) ?? []), seq]);
    }
    const settle = (peerId: number, outcome: BulkFailure | { status: 'sent'; messageId?: string }) => {
      for (const seq of seqsOf.get(peerId) ?? []) results.set(seq, { seq, ...outcome });
    };
    const lane = laneOf(content);
    const rendered = renderBroadcast(content);
    const parts = splitText(rendered.text, TEXT_MAX);
    let peers = [...seqsOf.keys()];
    let attachment: string | undefined;
    if (rendered.photoUrl !== null && peers.length > 0) {
      const url = rendered.photoUrl;
      const first = peers[0] as number;
      try {
        attachment = await this.#photos.get(content.broadcastId, async () =>
          this.api.uploadMessagePhoto(first, await readPicture(this.download, url), lane),
        );
      } catch (error) {
        // A picture that cannot be read is the broadcast's fault (its URL), never VK's outage.
        const failure: BulkFailure =
          error instanceof PictureUnreadable ? { status: 'failed', reason: error.message } : this.#callFailure(error);
        const reason = `the picture could not be uploaded: ${failure.reason}`;
        for (const peerId of peers) settle(peerId, { ...failure, reason });
        peers = [];
      }
    }
    const firstIds = new Map<number, number>();
    for (const [index, text] of parts.entries()) {
      if (peers.length === 0) break;
      const last = index === parts.length - 1;
      let answer: Awaited<ReturnType<VkBulkApi['sendToPeers']>>;
      try {
        answer = await this.api.sendToPeers(
          peers,
          {
            text,
            randomId:
              this.limits.vk.randomIdScope === 'call'
                ? callRandomId(content.broadcastId, index, peers)
                : broadcastRandomId(content.broadcastId, index),
            intent: this.#intent(content),
            ...(index === 0 && attachment ? { attachment } : {}),
            ...(last ? { keyboard: vkKeyboard(rendered.buttons) } : {}),
          },
          lane,
        );
      } catch (error) {
        const failure = this.#callFailure(error);
        for (const peerId of peers) settle(peerId, failure);
        break;
      }
      const reached: number[] = [];
      const answered = new Set<number>();
      for (const item of answer) {
        if (!seqsOf.has(item.peerId) || answered.has(item.peerId)) continue;
        answered.add(item.peerId);
        if ('error' in item) settle(item.peerId, this.#peerFailure(item.error.code, item.error.description));
        else {
          if (index === 0) firstIds.set(item.peerId, item.messageId);
          reached.push(item.peerId);
        }
      }
      for (const peerId of peers)
        if (!answered.has(peerId)) settle(peerId, { status: 'failed', reason: 'VK answered nothing for this recipient' });
      peers = reached;
    }
    for (const peerId of peers) {
      const messageId = firstIds.get(peerId);
      settle(peerId, messageId === undefined ? { status: 'sent' } : { status: 'sent', messageId: String(messageId) });
    }
    return recipients.map(({ seq }) => results.get(seq) ?? { seq, status: 'failed', reason: 'no result for this recipient' });
  }

  /** One recipient's error in VK's answer. */
  #peerFailure(code: number, description: string): BulkFailure {
    return peerFailure(code, description, this.limits.vk.intentLimitBackoffSeconds);
  }

  /** A failure of the whole call: VK's error as every recipient's; the network (after vk-io's retries) transient. */
  #callFailure(error: unknown): BulkFailure {
    if (error instanceof APIError) return this.#peerFailure(Number(error.code), error.message);
    const reason = error instanceof Error ? error.message : String(error);
    return isPlatformFailure(error) ? { status: 'failed', reason, transient: true } : { status: 'failed', reason };
  }

  /** The intent of its kind: an emergency, else by its audience (subscribers, or citizens about their cases). */
  #intent(content: BroadcastContent): string {
    const intents = this.limits.vkIntents;
    if (content.priority === 'emergency') return intents.emergency;
    return content.audience === 'cases' ? intents.cases : intents.subscribers;
  }
}

/**
 * One recipient's VK error: 900–902 blocked; 944 (the intent's limit) a retry after `intentBackoffSeconds`;
 * 6 and 9 (too fast) a retry shortly; 1 and 10 (VK failing on its side) failed, transient; any other
 * (a refused peer, an intent VK will not take for them) failed — the recipient's own.
 */
export function peerFailure(code: number, description: string, intentBackoffSeconds: number): BulkFailure {
  const reason = `VK error ${code}${description ? `: ${description}` : ''}`;
  if (BLOCKED.has(code)) return { status: 'blocked', reason };
  if (code === 944) return { status: 'retry', afterSeconds: intentBackoffSeconds, reason };
  if (code === 6) return { status: 'retry', afterSeconds: 1, reason };
  if (code === 9) return { status: 'retry', afterSeconds: 30, reason };
  if (isVkSideError(code, description)) return { status: 'failed', reason, transient: true };
  return { status: 'failed', reason };
}
