/**
 * A small, strict reader for flat XML data files such as the production calendar's open-data format
 * (`<calendar year="2027"><days><day d="01.01" t="1"/>…`). No dependency, and nothing an XML file can
 * use to reach outside itself: a DOCTYPE (so DTDs and entity declarations), CDATA and processing
 * instructions other than the leading `<?xml …?>` are refused; only the five predefined entities
 * and character references are decoded. Text between elements is ignored (these formats carry
 * their data in attributes). Sizes are bounded, so a hostile file costs little.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** 1-based line of the element's start tag, for messages. */
  readonly line: number;
}

/** Malformed or refused input; the message names the line. */
export class XmlError extends Error {
  override readonly name = 'XmlError';
}

/** Limits far above a calendar (~40 elements, 2 KB) and far below trouble. */
export const XML_LIMITS = { maxBytes: 1_000_000, maxElements: 10_000, maxDepth: 16 } as const;

const NAME = /^[A-Za-z_][\w.-]*/;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses `text` into its root element; throws XmlError naming the line of the first problem. */
export function parseFlatXml(text: string): XmlElement {
  if (Buffer.byteLength(text, 'utf8') > XML_LIMITS.maxBytes) throw new XmlError(`larger than ${XML_LIMITS.maxBytes} bytes`);
  const src = text.replace(/^\uFEFF/, '');
  let pos = 0;
  let count = 0;
  const lineAt = (at: number) => src.slice(0, at).split('\n').length;
  const fail = (message: string, at = pos): never => {
    throw new XmlError(`line ${lineAt(at)}: ${message}`);
  };

  // The declaration, only at the very start; it must not announce another encoding than the file's.
  const declaration = /^<\?xml(\s[^?]*)?\?>/.exec(src);
  if (declaration) {
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(declaration[1] ?? '')?.[1];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding))
      fail(`encoding "${encoding}" is not supported: save the file as UTF-8`);
    pos = declaration[0].length;
  }

  /** Skips whitespace, comments and text; refuses what this reader does not accept. */
  const skipMisc = (allowText: boolean) => {
    for (;;) {
      const ws = /^\s*/.exec(src.slice(pos))?.[0].length ?? 0;
      pos += ws;
      if (src.startsWith('<!--', pos)) {
        const end = src.indexOf('-->', pos + 4);
        if (end < 0) fail('unclosed comment');
        pos = end + 3;
        continue;
      }
      if (src.startsWith('<!DOCTYPE', pos) || src.startsWith('<!doctype', pos))
        fail('a DOCTYPE is not allowed (no DTDs or entity declarations: the format needs none)');
      if (src.startsWith('<!ENTITY', pos)) fail('entity declarations are not allowed');
      if (src.startsWith('<![CDATA[', pos)) fail('CDATA sections are not allowed');
      if (src.startsWith('<!', pos)) fail('markup declarations are not allowed');
      if (src.startsWith('<?', pos)) fail('processing instructions are not allowed (only the leading <?xml …?>)');
      if (allowText && pos < src.length && src[pos] !== '<') {
        const next = src.indexOf('<', pos);
        const chunk = src.slice(pos, next < 0 ? src.length : next);
        decode(chunk, pos);
        pos = next < 0 ? src.length : next;
        continue;
      }
      return;
    }
  };

  const decode = (value: string, at: number): string =>
    value.replace(/&([^;\s&<]*);?/g, (whole, ref: string) => {
      if (!whole.endsWith(';')) fail('a bare "&": write &amp;', at);
      if (ref in PREDEFINED) return PREDEFINED[ref] ?? '';
      const code = /^#x([0-9a-f]+)$/i.exec(ref)
        ? Number.parseInt(ref.slice(2), 16)
        : /^#\d+$/.test(ref)
          ? Number(ref.slice(1))
          : null;
      if (code === null) return fail(`unknown entity &${ref}; (entities are not allowed)`, at);
      if (code > 0x10ffff || code === 0) return fail(`invalid character reference &${ref};`, at);
      return String.fromCodePoint(code);
    });

  const element = (depth: number): XmlElement => {
    if (depth > XML_LIMITS.maxDepth) fail(`nested deeper than ${XML_LIMITS.maxDepth} elements`);
    if (++count > XML_LIMITS.maxElements) fail(`more than ${XML_LIMITS.maxElements} elements`);
    const start = pos;
    if (src[pos] !== '<') fail('expected an element');
    pos++;
    const name = NAME.exec(src.slice(pos))?.[0];
    if (!name) return fail('expected an element name after "<"');
    pos += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const ws = /^\s*/.exec(src.slice(pos))?.[0].length ?? 0;
      pos += ws;
      if (src.startsWith('/>', pos)) {
        pos += 2;
        return { name, attributes, children: [], line: lineAt(start) };
      }
      if (src[pos] === '>') {
        pos++;
        break;
      }
      if (ws === 0) fail(`expected whitespace, "/>" or ">" in <${name}>`);
      const attr = NAME.exec(src.slice(pos))?.[0];
      if (!attr) return fail(`expected an attribute name in <${name}>`);
      pos += attr.length;
      const eq = /^\s*=\s*/.exec(src.slice(pos));
      if (!eq) fail(`attribute ${attr} of <${name}> has no value`);
      pos += eq?.[0].length ?? 0;
      const quote = src[pos];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attr} of <${name}>: the value must be quoted`);
      const end = src.indexOf(quote ?? '"', pos + 1);
      if (end < 0) fail(`attribute ${attr} of <${name}>: unclosed value`);
      const raw = src.slice(pos + 1, end);
      if (raw.includes('<')) fail(`attribute ${attr} of <${name}>: "<" in a value`);
      if (Object.hasOwn(attributes, attr)) fail(`attribute ${attr} of <${name}> is given twice`);
      attributes[attr] = decode(raw, pos);
      pos = end + 1;
    }
    const children: XmlElement[] = [];
    for (;;) {
      skipMisc(true);
      if (pos >= src.length) fail(`<${name}> (line ${lineAt(start)}) is never closed`);
      if (src.startsWith('</', pos)) {
        pos += 2;
        const closing = NAME.exec(src.slice(pos))?.[0];
        if (closing !== name) fail(`expected </${name}> (opened on line ${lineAt(start)}), found </${closing ?? ''}>`);
        pos += name.length;
        const close = /^\s*>/.exec(src.slice(pos));
        if (!close) fail(`expected ">" after </${name}`);
        pos += close?.[0].length ?? 0;
        return { name, attributes, children, line: lineAt(start) };
      }
      children.push(element(depth + 1));
    }
  };

  skipMisc(false);
  if (pos >= src.length) fail('no element: the file is empty');
  const root = element(1);
  skipMisc(false);
  if (pos < src.length) fail('content after the root element');
  return root;
}
