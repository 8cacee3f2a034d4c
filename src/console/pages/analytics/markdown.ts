import { escapeHtml } from '../../errors.js';

/**
 * A small Markdown reader for the platform's own documentation pages (the ratings' methodology):
 * headings, paragraphs, lists, tables, fenced code, and inline code, bold, italic and links. Every
 * character of the text is escaped before any tag is added, so the output holds only the tags made
 * here; a link becomes an anchor only when it is http(s) or an anchor of the same page (the other
 * documents are not served), otherwise its text. Not a general Markdown implementation: nested
 * lists, HTML blocks and reference links are not needed by the documents it shows.
 */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^```\s*$/.test(lines[i] as string)) code.push(lines[i++] as string);
      i++;
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      // Headings one level down: the page's own <h1> is the title.
      const level = Math.min(6, (heading[1] as string).length + 1);
      const text = heading[2] as string;
      out.push(`<h${level} id="${escapeHtml(slug(text))}">${inline(text)}</h${level}>`);
      i++;
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows: string[] = [];
      while (i < lines.length && /^\s*\|/.test(lines[i] as string)) rows.push(lines[i++] as string);
      out.push(table(rows));
      continue;
    }
    const item = /^\s*([-*]|\d+\.)\s+/;
    if (item.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      while (i < lines.length && (lines[i] as string).trim() !== '') {
        const current = lines[i] as string;
        if (item.test(current)) items.push(current.replace(item, ''));
        else if (/^```/.test(current) || /^#{1,6}\s/.test(current)) break;
        // A continuation line of the item before.
        else items[items.length - 1] = `${items[items.length - 1] ?? ''} ${current.trim()}`;
        i++;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((x) => `<li>${inline(x)}</li>`).join('')}</${tag}>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length) {
      const current = lines[i] as string;
      if (current.trim() === '' || /^```/.test(current) || /^#{1,6}\s/.test(current) || /^\s*\|/.test(current)) break;
      if (paragraph.length > 0 && item.test(current)) break;
      paragraph.push(current.trim());
      i++;
    }
    out.push(`<p>${inline(paragraph.join(' '))}</p>`);
  }
  return out.join('\n');
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

function table(rows: string[]): string {
  const cells = (row: string) =>
    row
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
  const separator = (row: string) => /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(row);
  const head = rows[0] ?? '';
  const hasHead = rows.length > 1 && separator(rows[1] as string);
  const body = hasHead ? rows.slice(2) : rows;
  const thead = hasHead
    ? `<thead><tr>${cells(head)
        .map((c) => `<th scope="col">${inline(c)}</th>`)
        .join('')}</tr></thead>`
    : '';
  const tbody = body
    .map(
      (r) =>
        `<tr>${cells(r)
          .map((c) => `<td>${inline(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<div class="table-wrap"><table>${thead}<tbody>${tbody}</tbody></table></div>`;
}

/** Inline marks of one escaped line: code spans first (nothing inside them is a mark), then links, bold, italic. */
function inline(text: string): string {
  const parts = text.split(/(`[^`]+`)/g);
  return parts
    .map((part) => {
      if (/^`[^`]+`$/.test(part)) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) => link(label, href))
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|[\s(«])_([^_]+)_(?=$|[\s).,;:»])/g, '$1<em>$2</em>');
    })
    .join('');
}

/** `label` and `href` are already escaped: `&`, quotes and brackets cannot break out of the attribute. */
function link(label: string, href: string): string {
  if (/^#[\w\p{L}-]+$/u.test(href)) return `<a href="${href}">${label}</a>`;
  if (/^https?:\/\//.test(href)) return `<a href="${href}" rel="noopener noreferrer">${label}</a>`;
  return label;
}
