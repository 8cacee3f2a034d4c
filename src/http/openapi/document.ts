import { z } from 'zod';
import { caseKey, isoDate } from '../input.js';
import { ENDPOINTS, type Endpoint, type EndpointResponse } from './endpoints.js';

/**
 * The OpenAPI 3.0 document of every endpoint in endpoints.ts, the schemas converted from the very zod
 * schemas the routes validate with (`z.toJSONSchema`, target `openapi-3.0`, the *input* side: what a
 * client sends, before transforms). Query and path schemas become parameters, body schemas the
 * request body; bearer endpoints get the security scheme and the common errors.
 */

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema is an open-ended JSON object
export type JsonSchema = Record<string, any>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  'x-mcu-needs'?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Partial<Record<'get' | 'post' | 'patch' | 'put' | 'delete', OpenApiOperation>>>;
  components: { securitySchemes: Record<string, JsonSchema>; schemas: Record<string, JsonSchema> };
}

/** The error body every failure answers: `{ error: { code, message, details? } }`. */
export const errorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: 'A stable code, e.g. VALIDATION_FAILED, NOT_FOUND, FORBIDDEN' }),
    message: z.string().meta({ description: 'For people; may name the bad parameter (`limit: …`)' }),
    details: z.array(z.string()).optional(),
  }),
});

/** Words for the shared building blocks of input.ts, which JSON Schema cannot say by itself. */
const BLOCK_DESCRIPTIONS = new Map<unknown, string>([
  [isoDate, 'ISO 8601 date or date-time (2026-12-01 or 2026-12-01T09:00:00+07:00), years 2000–2100'],
  [caseKey, 'A case id (decimal digits) or a case number such as МЦУ-2026-000123'],
]);

/** A zod schema as an OpenAPI 3.0 schema of what a client sends. */
export function toOpenApiSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    override: (ctx) => {
      const words = BLOCK_DESCRIPTIONS.get(ctx.zodSchema);
      if (words && ctx.jsonSchema.description === undefined) ctx.jsonSchema.description = words;
      // A query default is typed after the transform (50, not "50"); say it as the client would write it.
      const def = (ctx.zodSchema as { _zod: { def: { type: string; defaultValue?: unknown } } })._zod.def;
      if (def.type === 'default' && ctx.jsonSchema.default === undefined) {
        const value = def.defaultValue;
        if (['string', 'number', 'boolean'].includes(typeof value)) ctx.jsonSchema.default = String(value);
      }
    },
  }) as JsonSchema;
}

/** `/api/v1/cases/:id` → `/api/v1/cases/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

function parameters(schema: z.ZodType, where: 'path' | 'query'): OpenApiParameter[] {
  const json = toOpenApiSchema(schema);
  const required = new Set<string>(json.required ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

function response(value: string | EndpointResponse): OpenApiOperation['responses'][string] {
  const r = typeof value === 'string' ? { description: value } : value;
  const mediaType = r.mediaType ?? 'application/json';
  if (r.schema) return { description: r.description, content: { [mediaType]: { schema: toOpenApiSchema(r.schema) } } };
  return mediaType === 'application/json'
    ? { description: r.description }
    : { description: r.description, content: { [mediaType]: { schema: { type: 'string' } } } };
}

function errorResponse(description: string): OpenApiOperation['responses'][string] {
  return { description, content: { 'application/json': { schema: ERROR_REF } } };
}

/** `GET /api/v1/cases/:id` → `get_api_v1_cases_id`: unique per method and path. */
export function operationId(endpoint: Pick<Endpoint, 'method' | 'path'>): string {
  return `${endpoint.method.toLowerCase()}_${endpoint.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
}

function operation(endpoint: Endpoint): OpenApiOperation {
  const params = [
    ...(endpoint.params ? parameters(endpoint.params, 'path') : []),
    ...(endpoint.query ? parameters(endpoint.query, 'query') : []),
  ];
  const body = endpoint.body ? toOpenApiSchema(endpoint.body) : undefined;
  const responses: OpenApiOperation['responses'] = {};
  for (const [status, value] of Object.entries(endpoint.responses)) {
    const r = response(value);
    // A failure's body is the common error unless the endpoint says otherwise.
    responses[status] = Number(status) >= 400 && !r.content ? errorResponse(r.description) : r;
  }
  const hasInput = params.length > 0 || body !== undefined;
  if (hasInput && !responses['400']) responses['400'] = errorResponse('VALIDATION_FAILED, naming every bad parameter');
  if (endpoint.auth === 'bearer') {
    responses['401'] ??= errorResponse('UNAUTHORIZED: no or a wrong bearer token');
    if (endpoint.roles && endpoint.roles !== 'any token')
      responses['403'] ??= errorResponse(`FORBIDDEN: the token’s role may not do this (needs ${endpoint.roles})`);
  }
  const needs = endpoint.auth === 'bearer' ? (endpoint.roles ?? 'any token') : endpoint.auth;
  return {
    operationId: operationId(endpoint),
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    tags: [...endpoint.tags],
    security: endpoint.auth === 'bearer' ? [{ bearer: [] }] : [],
    'x-mcu-needs': needs,
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body
      ? {
          requestBody: {
            required: Array.isArray(body.required) && body.required.length > 0,
            content: { 'application/json': { schema: body } },
          },
        }
      : {}),
    responses,
  };
}

/** The whole document; `version` is the package's. */
export function openApiDocument(version: string, endpoints: readonly Endpoint[] = ENDPOINTS): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const tags: string[] = [];
  for (const endpoint of endpoints) {
    const path = openApiPath(endpoint.path);
    const method = endpoint.method.toLowerCase() as Lowercase<Endpoint['method']>;
    const item = paths[path] ?? {};
    paths[path] = item;
    if (item[method]) throw new Error(`${endpoint.method} ${endpoint.path} is described twice`);
    item[method] = operation(endpoint);
    for (const tag of endpoint.tags) if (!tags.includes(tag)) tags.push(tag);
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'МЦУ API',
      version,
      description:
        'Everything under /api/ needs `Authorization: Bearer <token>`: the service token (every right) or a personal token (its role; `x-mcu-needs` says what the role must allow). Errors are `{ "error": { "code", "message", "details"? } }`. Generated from the zod schemas the routes validate with (src/http/openapi/).',
    },
    servers: [{ url: '/' }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API_TOKEN or a personal token (mcu_…)' },
      },
      schemas: { Error: toOpenApiSchema(errorBody) },
    },
  };
}
