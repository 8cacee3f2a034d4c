import type { JsonSchema, OpenApiDocument, OpenApiOperation } from './document.js';

/**
 * The OpenAPI document as one self-contained HTML page (GET /api/v1/docs): server-rendered, inline
 * CSS, no scripts and nothing fetched from elsewhere (the control centre's machines may be offline).
 */

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** `code` spans for backticks, everything else escaped. */
const prose = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, (_, code: string) => `<code>${code}</code>`);

/** A schema in a few words: its type, enum, bounds, pattern, default. */
export function schemaWords(schema: JsonSchema): string {
  if (schema.$ref) return String(schema.$ref).split('/').at(-1) ?? 'object';
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) parts.push(schema.enum.map((v: unknown) => JSON.stringify(v)).join(' | '));
  else if (Array.isArray(schema.anyOf)) parts.push(schema.anyOf.map(schemaWords).join(' or '));
  else parts.push(String(schema.type ?? 'any'));
  if (schema.type === 'array' && schema.items) parts[0] = `array of ${schemaWords(schema.items)}`;
  if (schema.minLength !== undefined || schema.maxLength !== undefined)
    parts.push(`length ${schema.minLength ?? 0}–${schema.maxLength ?? '∞'}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined)
    parts.push(`${schema.minimum ?? '−∞'}–${schema.maximum ?? '∞'}`);
  if (schema.pattern) parts.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.nullable) parts.push('nullable');
  return parts.join(', ');
}

interface Field {
  name: string;
  where: string;
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

function fieldsOf(op: OpenApiOperation): Field[] {
  const fields: Field[] = (op.parameters ?? []).map((p) => ({
    name: p.name,
    where: p.in,
    required: p.required,
    schema: p.schema,
    ...(p.description ? { description: p.description } : {}),
  }));
  const body = op.requestBody?.content['application/json']?.schema;
  const required = new Set<string>(body?.required ?? []);
  for (const [name, schema] of Object.entries((body?.properties ?? {}) as Record<string, JsonSchema>)) {
    fields.push({
      name,
      where: 'body',
      required: required.has(name),
      schema,
      ...(schema.description ? { description: String(schema.description) } : {}),
    });
  }
  return fields;
}

function operationHtml(method: string, path: string, op: OpenApiOperation): string {
  const fields = fieldsOf(op);
  const table = fields.length
    ? `<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Schema</th></tr>${fields
        .map(
          (f) =>
            `<tr><td><code>${escapeHtml(f.name)}</code></td><td>${f.where}</td><td>${f.required ? 'yes' : ''}</td><td>${escapeHtml(
              schemaWords(f.schema),
            )}${f.description ? `<br><small>${prose(f.description)}</small>` : ''}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const responses = Object.entries(op.responses)
    .map(([status, r]) => `<li><b>${escapeHtml(status)}</b> ${prose(r.description)}</li>`)
    .join('');
  const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
  return `<section id="${escapeHtml(id)}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${prose(op.summary)} <span class="needs">needs: ${escapeHtml(op['x-mcu-needs'] ?? '')}</span></p>
${op.description ? `<p>${prose(op.description)}</p>` : ''}${table}<ul>${responses}</ul></section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:64em;padding:0 1em;color:#222}
h2{border-bottom:1px solid #ccc;margin-top:2em}section{margin:1.2em 0}h3{margin:.2em 0;font-size:1em}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
.m{display:inline-block;min-width:4.5em;color:#fff;border-radius:3px;text-align:center;padding:0 .3em}
.get{background:#2b7}.post{background:#27c}.patch{background:#c82}.put{background:#a5c}.delete{background:#c33}
.needs{color:#666;font-size:.9em}code{background:#f4f4f4;padding:0 .2em}ul{margin:.3em 0}`;

/** The page: a table of contents by tag, then every operation with its parameters and answers. */
export function docsHtml(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op) continue;
      const tag = op.tags[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, op)]);
    }
  }
  const sections = [...byTag].map(
    ([tag, ops]) => `<h2 id="tag-${escapeHtml(tag.replace(/\W+/g, '-'))}">${escapeHtml(tag)}</h2>${ops.join('\n')}`,
  );
  const toc = [...byTag.keys()]
    .map((tag) => `<a href="#tag-${escapeHtml(tag.replace(/\W+/g, '-'))}">${escapeHtml(tag)}</a>`)
    .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</title>
<style>${STYLE}</style></head><body>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${prose(doc.info.description)}</p>
<p>The machine-readable document: <code>GET /api/v1/openapi.json</code> (OpenAPI ${escapeHtml(doc.openapi)}).</p>
<p>${toc}</p>
${sections.join('\n')}
</body></html>
`;
}
