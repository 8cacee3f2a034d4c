import type { FastifyInstance } from 'fastify';
import { type OpenApiDocument, openApiDocument } from '../openapi/document.js';
import { docsHtml } from '../openapi/html.js';

/** The page may use its own inline styles and nothing else: no scripts, nothing fetched. */
const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * GET /api/v1/openapi.json and GET /api/v1/docs (bearer token, any role, like all of /api/): the
 * OpenAPI document generated from src/http/openapi/endpoints.ts, and the same as an HTML page.
 * Both are built once, on the first request.
 */
export function openApiRoutes(version: string) {
  let doc: OpenApiDocument | undefined;
  let html: string | undefined;
  const document = () => {
    doc ??= openApiDocument(version);
    return doc;
  };
  return (app: FastifyInstance) => {
    app.get('/api/v1/openapi.json', async () => document());

    app.get('/api/v1/docs', async (_request, reply) => {
      html ??= docsHtml(document());
      return reply.type('text/html; charset=utf-8').header('content-security-policy', DOCS_CSP).send(html);
    });
  };
}
