import type { PagePlatform } from '../../models/schema.js';

/**
 * A page's link as people write it (a spreadsheet cell, a form, the API) → the platform, the id the
 * registry keys it by and a canonical link. Refused with a stable code and a message naming the
 * problem: a link that is not a VK, Telegram or MAX page, a personal profile, a post, a private invite.
 *
 * - VK (vk.com, vk.ru, m.vk.com…): `/<screen_name>`, `/club123`, `/public123`, `/event123` (the last
 *   three are one community: kept as `club123`, so they cannot be registered twice).
 * - Telegram (t.me, telegram.me): `/<username>`, `/s/<username>` (the web preview), `@username`, and a
 *   private channel as `/c/<id>` (kept as its chat id `-100<id>`); with the platform given, a bare
 *   `-100…` chat id.
 * - MAX (max.ru, web.max.ru): `/<name>` (a public channel's link, what `GET /chats/{chatLink}` takes),
 *   `web.max.ru/-<id>`; with the platform given, a bare `-<id>` chat id.
 */
export interface PageLink {
  platform: PagePlatform;
  /** VK: screen name or `club<id>`; Telegram: `@username` or `-100…`; MAX: link name or `-<id>`. */
  externalId: string;
  url: string;
}

export type LinkProblem =
  | 'empty'
  | 'not_a_link'
  | 'unknown_site'
  | 'not_a_page'
  | 'personal_page'
  | 'post_link'
  | 'private_invite'
  | 'bad_name'
  | 'needs_platform'
  | 'platform_mismatch';

export type LinkOutcome = { status: 'ok'; link: PageLink } | { status: 'invalid'; problem: LinkProblem; message: string };

const HOSTS: Readonly<Record<string, PagePlatform>> = {
  'vk.com': 'vk',
  'www.vk.com': 'vk',
  'm.vk.com': 'vk',
  'new.vk.com': 'vk',
  'vk.ru': 'vk',
  'www.vk.ru': 'vk',
  'm.vk.ru': 'vk',
  't.me': 'telegram',
  'www.t.me': 'telegram',
  'telegram.me': 'telegram',
  'www.telegram.me': 'telegram',
  'telegram.dog': 'telegram',
  'max.ru': 'max',
  'www.max.ru': 'max',
  'web.max.ru': 'max',
};

/** Paths of the sites that are not pages (sections, services), lower case. */
const VK_RESERVED = new Set(
  'feed im friends groups search settings video videos music audio audios photos albums apps app market services login join about support docs dev away.php clips stories notifications bookmarks messages wall discover help terms privacy ads'.split(
    ' ',
  ),
);
const TELEGRAM_RESERVED = new Set(
  'share addstickers addemoji addtheme addlist proxy socks iv login setlanguage bg invoice boost contact confirmphone m'.split(
    ' ',
  ),
);
const MAX_RESERVED = new Set('app download privacy terms help business dev legal about'.split(' '));

const VK_SCREEN_NAME = /^[a-z0-9_.]{2,32}$/i;
const TELEGRAM_USERNAME = /^[a-z][a-z0-9_]{2,30}[a-z0-9]$/i;
const MAX_NAME = /^[a-z0-9_][a-z0-9_.-]{1,63}$/i;

const invalid = (problem: LinkProblem, message: string): LinkOutcome => ({ status: 'invalid', problem, message });
const ok = (platform: PagePlatform, externalId: string, url: string): LinkOutcome => ({
  status: 'ok',
  link: { platform, externalId, url },
});

/** Parses a page's link; `platform` says what a bare id (`-100…`, a screen name) belongs to. */
export function parsePageLink(input: string, platform?: PagePlatform): LinkOutcome {
  const value = input.trim();
  if (value === '') return invalid('empty', 'the link is empty');
  if (value.startsWith('@')) return bareName(value.slice(1), platform ?? 'telegram', value);
  if (/^-?\d+$/.test(value)) return bareId(value, platform);
  if (platform && !/[/:]/.test(value) && !HOSTS[value.toLowerCase()]) return bareName(value, platform, value);

  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    return invalid('not_a_link', `"${value}" is not a link`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return invalid('not_a_link', `"${value}" is not a web link`);
  const host = url.hostname.toLowerCase();
  if (!host.includes('.')) return invalid('not_a_link', `"${value}" is not a link (no site in it)`);
  const site = HOSTS[host];
  if (!site) return invalid('unknown_site', `"${value}" is not a VK, Telegram or MAX page (the site is ${host})`);
  if (platform && platform !== site)
    return invalid('platform_mismatch', `"${value}" is a ${site} link, but the platform given is ${platform}`);
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return invalid('not_a_link', `"${value}" is not a link (a broken %-escape)`);
  }
  if (site === 'vk') return vkPath(segments, value);
  if (site === 'telegram') return telegramPath(segments, value);
  return maxPath(segments, value, host);
}

function vkPath(segments: string[], value: string): LinkOutcome {
  const [name, ...rest] = segments;
  if (!name) return invalid('not_a_page', `"${value}" is VK's home page, not a community`);
  if (/^wall-?\d+_\d+$/i.test(name) || rest.length > 0)
    return invalid('post_link', `"${value}" is a post or a section, not the community: give https://vk.com/<community>`);
  return vkName(name, value);
}

function vkName(name: string, value: string): LinkOutcome {
  const community = /^(?:club|public|event)(\d{1,12})$/i.exec(name);
  if (community) return ok('vk', `club${Number(community[1])}`, `https://vk.com/club${Number(community[1])}`);
  if (/^id\d+$/i.test(name)) return invalid('personal_page', `"${value}" is a person's profile, not a community`);
  if (VK_RESERVED.has(name.toLowerCase())) return invalid('not_a_page', `"${value}" is a section of VK, not a community`);
  if (!VK_SCREEN_NAME.test(name) || name.startsWith('.') || name.endsWith('.'))
    return invalid('bad_name', `"${name}" is not a VK community's short name (latin letters, digits, _ and ., up to 32)`);
  return ok('vk', name, `https://vk.com/${name}`);
}

function telegramPath(segments: string[], value: string): LinkOutcome {
  const [first, second, third] = segments;
  if (!first) return invalid('not_a_page', `"${value}" is Telegram's home page, not a channel`);
  if (first.startsWith('+') || first.toLowerCase() === 'joinchat')
    return invalid(
      'private_invite',
      `"${value}" is a private invite link: give the channel's @username, or its chat id with the platform`,
    );
  if (first === 'c') {
    if (!second || !/^\d{1,16}$/.test(second)) return invalid('not_a_page', `"${value}" is not a channel's link`);
    return ok('telegram', `-100${second}`, `https://t.me/c/${second}`);
  }
  const name = first === 's' ? second : first;
  const extra = first === 's' ? third : second;
  if (!name) return invalid('not_a_page', `"${value}" is not a channel's link`);
  if (extra !== undefined) return invalid('post_link', `"${value}" is a post, not the channel: give https://t.me/${name}`);
  return telegramName(name, value);
}

function telegramName(name: string, value: string): LinkOutcome {
  if (TELEGRAM_RESERVED.has(name.toLowerCase()))
    return invalid('not_a_page', `"${value}" is a Telegram service link, not a channel`);
  if (!TELEGRAM_USERNAME.test(name) || name.includes('__'))
    return invalid(
      'bad_name',
      `"${name}" is not a Telegram username (latin letters, digits and _, 4–32, starting with a letter)`,
    );
  return ok('telegram', `@${name}`, `https://t.me/${name}`);
}

function maxPath(segments: string[], value: string, host: string): LinkOutcome {
  const [first, second] = segments;
  if (!first) return invalid('not_a_page', `"${value}" is MAX's home page, not a channel`);
  if (host === 'web.max.ru') {
    if (/^-?\d{1,20}$/.test(first) && second === undefined) return ok('max', first, `https://web.max.ru/${first}`);
    return invalid('not_a_page', `"${value}" is not a chat of MAX's web client (web.max.ru/<chat id>)`);
  }
  if (first.toLowerCase() === 'join')
    return invalid('private_invite', `"${value}" is a private invite link: give the channel's public link or its chat id`);
  if (second !== undefined) return invalid('post_link', `"${value}" is a post, not the channel: give https://max.ru/${first}`);
  return maxName(first, value);
}

function maxName(name: string, value: string): LinkOutcome {
  if (MAX_RESERVED.has(name.toLowerCase())) return invalid('not_a_page', `"${value}" is a page of MAX's site, not a channel`);
  if (!MAX_NAME.test(name)) return invalid('bad_name', `"${name}" is not a MAX channel's link name`);
  return ok('max', name, `https://max.ru/${name}`);
}

/** `@name` or a bare name with the platform given. */
function bareName(name: string, platform: PagePlatform, value: string): LinkOutcome {
  if (name === '') return invalid('empty', 'the name after @ is empty');
  if (platform === 'telegram') return telegramName(name, value);
  if (platform === 'vk') return vkName(name, value);
  return maxName(name, value);
}

/** A chat or community id: whose it is must be said (a number alone is no platform's). */
function bareId(id: string, platform: PagePlatform | undefined): LinkOutcome {
  if (!platform) return invalid('needs_platform', `"${id}" is a bare id: say the platform (vk, telegram or max) or give a link`);
  if (platform === 'vk') {
    const n = Number(id.replace(/^-/, ''));
    if (!Number.isSafeInteger(n) || n < 1) return invalid('bad_name', `"${id}" is not a VK community's id`);
    return ok('vk', `club${n}`, `https://vk.com/club${n}`);
  }
  if (platform === 'telegram') {
    if (!/^-100\d{1,16}$/.test(id)) return invalid('bad_name', `"${id}" is not a Telegram channel's chat id (-100…)`);
    return ok('telegram', id, `https://t.me/c/${id.slice(4)}`);
  }
  if (!/^-?\d{1,20}$/.test(id)) return invalid('bad_name', `"${id}" is not a MAX chat id`);
  return ok('max', id, `https://web.max.ru/${id}`);
}
