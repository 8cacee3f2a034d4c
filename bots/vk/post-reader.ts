import type { PostReader } from '../../handlers/intake/index.js';
import type { VkApiPort } from './api.js';

/** wall.getById for one post; an empty answer (a deleted or hidden post) gives null. */
export class VkPostReader implements PostReader {
  constructor(private readonly api: VkApiPort) {}

  async postText(ownerId: number, postId: number): Promise<string | null> {
    const r = await this.api.call<{ items?: { text?: string }[] } | { text?: string }[]>('wall.getById', {
      posts: `${ownerId}_${postId}`,
    });
    // API versions differ: an array of posts, or { items: [...] }.
    const items = Array.isArray(r) ? r : (r.items ?? []);
    return items[0]?.text || null;
  }
}
