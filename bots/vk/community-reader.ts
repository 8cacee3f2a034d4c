import type { CommunityReader, WallItem } from '../../handlers/intake/index.js';
import type { VkApiPort } from './api.js';

interface VkWallItem {
  id: number;
  from_id?: number;
  owner_id?: number;
  date: number;
  text?: string;
}

const PAGE = 100;
const MAX_PAGES = 5;
/** execute runs at most 25 API calls per request. */
const EXECUTE_BATCH = 25;

const toItem = (i: VkWallItem): WallItem => ({
  id: i.id,
  fromId: i.from_id ?? i.owner_id ?? 0,
  date: i.date,
  text: i.text ?? '',
  raw: i,
});

/**
 * wall.get / wall.getComments with a service token (3 requests/s, enforced by the API client).
 * Comments of up to 25 posts come back in ONE request through `execute`.
 */
export class VkCommunityReader implements CommunityReader {
  constructor(private readonly api: VkApiPort) {}

  async postsAfter(ownerId: number, afterId: number): Promise<WallItem[]> {
    const found: VkWallItem[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await this.api.call<{ items: VkWallItem[] }>('wall.get', {
        owner_id: ownerId,
        count: PAGE,
        offset: page * PAGE,
        filter: 'all',
      });
      const fresh = r.items.filter((p) => p.id > afterId);
      found.push(...fresh);
      // A pinned post may be old; stop once a page holds nothing newer than the watermark.
      if (r.items.length < PAGE || fresh.length === 0 || afterId === 0) break;
    }
    return dedupe(found)
      .sort((a, b) => a.id - b.id)
      .map(toItem);
  }

  async commentsAfter(ownerId: number, marks: Record<number, number>): Promise<Record<number, WallItem[]>> {
    const postIds = Object.keys(marks).map(Number);
    const result: Record<number, WallItem[]> = {};
    for (let i = 0; i < postIds.length; i += EXECUTE_BATCH) {
      const batch = postIds.slice(i, i + EXECUTE_BATCH);
      const code = [
        `var posts = ${JSON.stringify(batch)}; var owner = ${Number(ownerId)}; var out = []; var i = 0;`,
        'while (i < posts.length) {',
        '  out.push(API.wall.getComments({"owner_id": owner, "post_id": posts[i], "count": 100, "sort": "desc", "thread_items_count": 10}));',
        '  i = i + 1;',
        '}',
        'return out;',
      ].join('\n');
      const responses =
        await this.api.execute<({ items?: (VkWallItem & { thread?: { items?: VkWallItem[] } })[] } | false)[]>(code);
      batch.forEach((postId, index) => {
        const response = responses[index];
        // VK puts `false` in place of a call that failed inside execute (e.g. a deleted post).
        const items = response === false ? undefined : response?.items;
        if (!items) return;
        const all = items.flatMap((c) => [c, ...(c.thread?.items ?? [])]);
        const mark = marks[postId] ?? 0;
        result[postId] = dedupe(all.filter((c) => c.id > mark))
          .sort((a, b) => a.id - b.id)
          .map(toItem);
      });
    }
    return result;
  }
}

function dedupe(items: VkWallItem[]): VkWallItem[] {
  return [...new Map(items.map((i) => [i.id, i])).values()];
}
