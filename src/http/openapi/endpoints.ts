import type { z } from 'zod';
import { idParam } from '../input.js';
import {
  heatmapQuery,
  problemsQuery,
  ratingsQuery,
  recommendationDecisionBody,
  recommendationDecisionParams,
  recommendationsQuery,
} from '../routes/analytics.js';
import { answerBody } from '../routes/answers.js';
import { BROADCAST_OPS, broadcastAuthorQuery, broadcastCreateBody, broadcastPatchBody } from '../routes/broadcasts.js';
import {
  assignBody,
  decisionBody,
  departmentStatsQuery,
  extensionRequestBody,
  extensionsQuery,
  mergeBody,
  questionBody,
  resumeBody,
  returnBody,
} from '../routes/case-actions.js';
import {
  caseKeyParams,
  casesQuery,
  messagesQuery,
  sourceDecisionBody,
  sourceDecisionParams,
  sourcesQuery,
} from '../routes/cases.js';
import { citizenExportQuery, citizenForgetBody, citizensQuery } from '../routes/citizens.js';
import { deadLettersQuery } from '../routes/dead-letters.js';
import { exportQuery } from '../routes/exports.js';
import { pageCreateBody, pagePatchBody, pagesExportQuery, pagesQuery } from '../routes/pages.js';
import { inviteRequestBody, preferredChannelBody } from '../routes/people.js';
import { alertsQuery, categoryCorrectionBody, statusChangeBody } from '../routes/structuring.js';

/**
 * Every HTTP endpoint, once: the OpenAPI document (`GET /api/v1/openapi.json`) and the docs page
 * (`GET /api/v1/docs`) are generated from this list, and test/http/openapi.test.ts checks that it
 * names exactly the routes Fastify registers. A new route is one line here, with the zod schemas
 * its handler validates with (exported from its route file), never a copy of them.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Who may call it: `bearer` — the service token or a personal token (see `roles`); `none` — public
 * (health, metrics); `webhook-secret` — a messenger platform with the secret it was given.
 */
export type EndpointAuth = 'bearer' | 'none' | 'webhook-secret';

export interface EndpointResponse {
  description: string;
  /** The body's zod schema, where the code has one. */
  schema?: z.ZodType;
  /** Default `application/json`. */
  mediaType?: string;
}

export interface Endpoint {
  method: HttpMethod;
  /** Fastify's spelling: `/api/v1/cases/:id`. */
  path: string;
  summary: string;
  /** More words: the input or the answer where no schema describes them. */
  description?: string;
  tags: readonly string[];
  auth: EndpointAuth;
  /**
   * What a personal token's role must allow (docs/operations/http-api.md): `any token`, `case scope`,
   * `triage`, `cases:all`, `people:manage`, `citizens:data`, `service token`. Bearer endpoints only.
   */
  roles?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The answers other than the common errors (400, 401, 403 are added from the input, `auth` and `roles`). */
  responses: Readonly<Record<number, string | EndpointResponse>>;
}

const items = (what: string) => `{ items }: ${what}`;

const BROADCAST_OP_SUMMARIES: Record<(typeof BROADCAST_OPS)[number], string> = {
  approve: 'Approve a broadcast (a second person, above the domain file’s recipient threshold)',
  start: 'Start a draft now, or at its scheduledAt: the audience is frozen when it starts',
  pause: 'Pause: sending stops after the batch in flight',
  resume: 'Resume a paused broadcast where it stopped',
  cancel: 'Cancel: what was not sent is skipped',
};
const notFound = 'No such record';
const conflict = 'A conflict with the record’s state; `error.code` names the outcome';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const ENDPOINTS: readonly Endpoint[] = [
  // Health and status
  {
    method: 'GET',
    path: '/health/live',
    summary: 'Liveness: the process runs (no database call)',
    tags: ['health'],
    auth: 'none',
    responses: { 200: '{ status: "ok" }', 503: '{ status: "stopping" }: the process is shutting down' },
  },
  {
    method: 'GET',
    path: '/health/ready',
    summary: 'Readiness: database, migrations and queue',
    tags: ['health'],
    auth: 'none',
    responses: {
      200: '{ status: "ok", db, queue, migrations, warnings }',
      503: '{ status: "unavailable", db, queue, migrations, notReady, warnings }: notReady names the parts that are not ok',
    },
  },
  {
    method: 'GET',
    path: '/health',
    summary: 'Readiness under its old name (the same as /health/ready)',
    tags: ['health'],
    auth: 'none',
    responses: {
      200: '{ status: "ok", db, queue, migrations, warnings }',
      503: '{ status: "unavailable", db, queue, migrations, notReady, warnings }',
    },
  },
  {
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tags: ['health'],
    auth: 'none',
    responses: { 200: { description: 'Prometheus text format', mediaType: 'text/plain' } },
  },
  {
    method: 'GET',
    path: '/api/v1/status',
    summary: 'This instance: version, roles, uptime, sandbox',
    tags: ['health'],
    auth: 'bearer',
    roles: 'any token',
    responses: { 200: '{ version, roles, uptimeSeconds, sandbox }' },
  },
  {
    method: 'GET',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    tags: ['health'],
    auth: 'bearer',
    roles: 'any token',
    responses: { 200: 'The OpenAPI 3.0 document of every endpoint' },
  },
  {
    method: 'GET',
    path: '/api/v1/docs',
    summary: 'The endpoints as an HTML page',
    tags: ['health'],
    auth: 'bearer',
    roles: 'any token',
    responses: { 200: { description: 'A self-contained HTML page generated from the OpenAPI document', mediaType: 'text/html' } },
  },

  // Cases, messages and sources
  {
    method: 'GET',
    path: '/api/v1/cases',
    summary: 'Cases, newest first, filtered and paged',
    description: 'Pass `nextCursor` back as `cursor` for the next page; a department-only role sees its department.',
    tags: ['cases'],
    auth: 'bearer',
    roles: 'case scope',
    query: casesQuery,
    responses: { 200: '{ items, nextCursor }' },
  },
  {
    method: 'GET',
    path: '/api/v1/cases/:id',
    summary: 'One case by id or number, with its messages',
    tags: ['cases'],
    auth: 'bearer',
    roles: 'case scope',
    params: caseKeyParams,
    responses: {
      200: 'The case with `messages[]`; `deadlineProvisional: true` when its deadlines were counted on the Labour Code fallback (a year missing from the production calendar)',
      404: notFound,
    },
  },
  {
    method: 'GET',
    path: '/api/v1/messages',
    summary: 'Messages, newest received first',
    tags: ['cases'],
    auth: 'bearer',
    roles: 'cases:all',
    query: messagesQuery,
    responses: { 200: '{ items, nextCursor }' },
  },
  {
    method: 'GET',
    path: '/api/v1/sources',
    summary: 'Sources (groups, chats, systems)',
    tags: ['cases'],
    auth: 'bearer',
    roles: 'triage',
    query: sourcesQuery,
    responses: { 200: items('the sources') },
  },
  {
    method: 'POST',
    path: '/api/v1/sources/:id/:decision',
    summary: 'Approve or reject a source',
    tags: ['cases'],
    auth: 'bearer',
    roles: 'triage',
    params: sourceDecisionParams,
    body: sourceDecisionBody,
    responses: { 200: '{ id, status }', 404: notFound },
  },

  // Exports
  {
    method: 'GET',
    path: '/api/v1/exports/cases.csv',
    summary: 'The cases as CSV for Russian Excel (the listing’s filters)',
    tags: ['exports'],
    auth: 'bearer',
    roles: 'case scope',
    query: exportQuery,
    responses: { 200: { description: 'UTF-8 CSV with a BOM, `;`-separated, streamed', mediaType: 'text/csv' } },
  },
  {
    method: 'GET',
    path: '/api/v1/exports/cases.xlsx',
    summary: 'The cases as an XLSX workbook (the listing’s filters)',
    tags: ['exports'],
    auth: 'bearer',
    roles: 'case scope',
    query: exportQuery,
    responses: {
      200: {
        description: 'An XLSX workbook, streamed',
        mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    },
  },
  {
    method: 'GET',
    path: '/api/v1/exports/ratings.csv',
    summary: 'The departments’ ratings as CSV for Russian Excel, one row per department',
    description: 'The query, access and figures of `GET /api/v1/analytics/ratings`, every figure flattened into a column.',
    tags: ['exports'],
    auth: 'bearer',
    roles: 'case scope',
    query: ratingsQuery,
    responses: { 200: { description: 'UTF-8 CSV with a BOM, `;`-separated', mediaType: 'text/csv' } },
  },
  {
    method: 'GET',
    path: '/api/v1/exports/ratings.xlsx',
    summary: 'The departments’ ratings as an XLSX workbook, one row per department',
    description: 'The query, access and figures of `GET /api/v1/analytics/ratings`, every figure flattened into a column.',
    tags: ['exports'],
    auth: 'bearer',
    roles: 'case scope',
    query: ratingsQuery,
    responses: { 200: { description: 'An XLSX workbook', mediaType: XLSX } },
  },
  {
    method: 'GET',
    path: '/api/v1/exports/problems.csv',
    summary: 'The problem list as CSV for Russian Excel, one row per problem',
    description: 'The query, access and rows of `GET /api/v1/problems`.',
    tags: ['exports'],
    auth: 'bearer',
    roles: 'cases:all',
    query: problemsQuery,
    responses: { 200: { description: 'UTF-8 CSV with a BOM, `;`-separated', mediaType: 'text/csv' } },
  },
  {
    method: 'GET',
    path: '/api/v1/exports/problems.xlsx',
    summary: 'The problem list as an XLSX workbook, one row per problem',
    description: 'The query, access and rows of `GET /api/v1/problems`.',
    tags: ['exports'],
    auth: 'bearer',
    roles: 'cases:all',
    query: problemsQuery,
    responses: { 200: { description: 'An XLSX workbook', mediaType: XLSX } },
  },

  // Structuring
  {
    method: 'PATCH',
    path: '/api/v1/cases/:id',
    summary: 'Correct a case’s category',
    tags: ['structuring'],
    auth: 'bearer',
    roles: 'triage',
    params: idParam,
    body: categoryCorrectionBody,
    responses: { 200: '{ id, status: "corrected"|"unchanged", … }', 404: notFound },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/status',
    summary: 'Move a case along its lifecycle',
    tags: ['structuring'],
    auth: 'bearer',
    roles: 'triage',
    params: idParam,
    body: statusChangeBody,
    responses: { 200: '{ id, status: "changed", from, to }', 404: notFound, 409: 'INVALID_TRANSITION' },
  },
  {
    method: 'GET',
    path: '/api/v1/cases/:id/audit',
    summary: 'A case’s audit trail, oldest first',
    tags: ['structuring'],
    auth: 'bearer',
    roles: 'case scope',
    params: idParam,
    responses: { 200: items('{ actor, action, details, createdAt }') },
  },
  {
    method: 'GET',
    path: '/api/v1/alerts',
    summary: 'Alerts, newest first',
    tags: ['structuring'],
    auth: 'bearer',
    roles: 'triage',
    query: alertsQuery,
    responses: { 200: items('{ id, kind, caseId, problemId, details, createdAt, acknowledgedAt }') },
  },
  {
    method: 'POST',
    path: '/api/v1/alerts/:id/ack',
    summary: 'Acknowledge an alert',
    tags: ['structuring'],
    auth: 'bearer',
    roles: 'triage',
    params: idParam,
    responses: { 200: '{ id, acknowledged: true }', 404: 'No unacknowledged alert with that id' },
  },
  {
    method: 'GET',
    path: '/api/v1/classifier/models',
    summary: 'The classifier models recorded by retraining',
    tags: ['structuring'],
    auth: 'bearer',
    roles: 'triage',
    responses: { 200: items('{ version, active, metrics, createdAt }') },
  },
  {
    method: 'POST',
    path: '/api/v1/classifier/retrain',
    summary: 'Retrain the classifier now',
    tags: ['structuring'],
    auth: 'bearer',
    roles: 'triage',
    responses: { 200: '{ status: "switched"|"kept"|"skipped", … }' },
  },

  // Analytics
  {
    method: 'GET',
    path: '/api/v1/analytics/ratings',
    summary: 'The departments’ ratings for a period',
    description: 'Query: `from`, `to` (ISO dates, `[from, to)`), `department` (optional).',
    tags: ['analytics'],
    auth: 'bearer',
    roles: 'case scope',
    query: ratingsQuery,
    responses: { 200: 'The ratings report' },
  },
  {
    method: 'GET',
    path: '/api/v1/analytics/heatmap',
    summary: 'The heat map of cases for a period',
    description: 'Query: `from`, `to` (ISO dates), `metric` (default `count`), `boundaries` (`true`|`false`).',
    tags: ['analytics'],
    auth: 'bearer',
    roles: 'cases:all',
    query: heatmapQuery,
    responses: { 200: 'The heat map report' },
  },
  {
    method: 'GET',
    path: '/api/v1/problems',
    summary: 'The problem list with each problem’s lifecycle',
    description:
      'Query: `status`, `category`, `district`, `sort` (`volume`|`growth`), `window` (days, 1–365, default 30), `limit` (1–500, default 100).',
    tags: ['analytics'],
    auth: 'bearer',
    roles: 'cases:all',
    query: problemsQuery,
    responses: { 200: items('the problems') },
  },
  {
    method: 'GET',
    path: '/api/v1/analytics/recommendations',
    summary: 'Recommendations for a period',
    description: 'МЦУ staff see every recommendation, a department head their department’s.',
    tags: ['analytics'],
    auth: 'bearer',
    roles: 'staff; a department head: own department',
    query: recommendationsQuery,
    responses: { 200: 'The recommendations report' },
  },
  {
    method: 'POST',
    path: '/api/v1/analytics/recommendations/:key/decision',
    summary: 'Accept or dismiss a recommendation',
    description: 'A dismissal needs a comment (400 COMMENT_REQUIRED).',
    tags: ['analytics'],
    auth: 'bearer',
    roles: 'head, operator',
    params: recommendationDecisionParams,
    body: recommendationDecisionBody,
    responses: {
      200: 'The recommendation with its decision',
      400: 'COMMENT_REQUIRED (a dismissal without a comment) or VALIDATION_FAILED',
      404: notFound,
    },
  },

  // Ingest
  {
    method: 'POST',
    path: '/api/v1/ingest',
    summary: 'One appeal pushed by another system (ПОС, ИМ)',
    // TODO: the appeal schema lives unexported in handlers/ingest/appeal.ts; export it and add `body` here.
    description:
      'Body: `{ source, externalId, receivedAt, text, author?: { name?, phone?, email? }, address?, lat?, lon?, category?, department?, status?, answeredAt?, answerText?, closedAt?, rating? }` (docs/architecture/ingest.md).',
    tags: ['ingest'],
    auth: 'bearer',
    roles: 'triage',
    responses: {
      201: '{ id, number, status: "created", changes }',
      200: '{ id, number, status: "updated"|"unchanged", changes }',
      400: 'VALIDATION_FAILED or UNKNOWN_SOURCE, every problem in `error.details`',
    },
  },

  // Broadcasts
  {
    method: 'POST',
    path: '/api/v1/broadcasts',
    summary: 'Compose a broadcast (a draft: nothing is sent until it is started)',
    description:
      'Segments: `subscribers` (districts, topics), `problem` (the citizens of a problem’s cases), `cases` (categories, districts, a period); each may name `channels`. Texts over 4,000 characters need `allowSplit: true`. The service token may name `author`.',
    tags: ['broadcasts'],
    auth: 'bearer',
    roles: 'broadcasts.authorRoles of the domain file',
    body: broadcastCreateBody,
    responses: { 201: 'The draft', 400: 'VALIDATION_FAILED, UNKNOWN_ID, TEXT_TOO_LONG, SCHEDULE_IN_PAST (the field named)' },
  },
  {
    method: 'GET',
    path: '/api/v1/broadcasts',
    summary: 'The latest broadcasts',
    tags: ['broadcasts'],
    auth: 'bearer',
    roles: 'broadcasts.authorRoles and approval.roles',
    responses: { 200: 'The broadcasts, newest first' },
  },
  {
    method: 'GET',
    path: '/api/v1/broadcasts/:id',
    summary: 'A broadcast with its progress: totals by status and channel, the rate, the time left',
    tags: ['broadcasts'],
    auth: 'bearer',
    roles: 'broadcasts.authorRoles and approval.roles',
    params: idParam,
    responses: { 200: 'The report', 404: notFound },
  },
  {
    method: 'PATCH',
    path: '/api/v1/broadcasts/:id',
    summary: 'Change a draft (withdraws an approval given before)',
    tags: ['broadcasts'],
    auth: 'bearer',
    roles: 'broadcasts.authorRoles',
    params: idParam,
    body: broadcastPatchBody,
    responses: { 200: 'The draft', 404: notFound, 409: 'NOT_A_DRAFT' },
  },
  {
    method: 'GET',
    path: '/api/v1/broadcasts/:id/preview',
    summary: 'Who it would reach now, per channel, before anything is sent',
    tags: ['broadcasts'],
    auth: 'bearer',
    roles: 'broadcasts.authorRoles and approval.roles',
    params: idParam,
    responses: {
      200: '{ recipients, byChannel, excluded, needsApproval, approvalThreshold, approved, unsendable }',
      404: notFound,
    },
  },
  ...BROADCAST_OPS.map(
    (op): Endpoint => ({
      method: 'POST',
      path: `/api/v1/broadcasts/:id/${op}`,
      summary: BROADCAST_OP_SUMMARIES[op],
      tags: ['broadcasts'],
      auth: 'bearer',
      roles: op === 'approve' ? 'broadcasts.approval.roles, a person other than the author' : 'broadcasts.authorRoles',
      params: idParam,
      query: broadcastAuthorQuery,
      responses: {
        200: 'The broadcast',
        404: notFound,
        409: 'ALREADY_STARTED, APPROVAL_REQUIRED, NOT_A_DRAFT or WRONG_STATE',
        ...(op === 'start'
          ? { 422: 'EMPTY_SEGMENT: the segment reaches nobody (the reason in the message)' }
          : ({} as Record<number, string>)),
      },
    }),
  ),
  {
    method: 'GET',
    path: '/api/v1/broadcasts/:id/recipients.csv',
    summary: 'Who got it, who did not and why (CSV with ; separators and a UTF-8 BOM)',
    tags: ['broadcasts'],
    auth: 'bearer',
    roles: 'broadcasts.authorRoles and approval.roles',
    params: idParam,
    responses: { 200: { description: 'The recipients, streamed', mediaType: 'text/csv' }, 404: notFound },
  },

  // Official pages
  {
    method: 'GET',
    path: '/api/v1/pages',
    summary: 'The registry of official pages, each with its latest score and figures',
    description:
      'Filters: `platform`, `owner` (a department id), `status`; by id, `limit` at a time, `cursor` = the previous `nextCursor`. A department’s staff get their department’s pages.',
    tags: ['pages'],
    auth: 'bearer',
    roles: 'cases:all (a department’s staff: their pages)',
    query: pagesQuery,
    responses: { 200: '{ items, nextCursor }: each page with `latest` { takenAt, readable, reason, score, figures } or null' },
  },
  {
    method: 'POST',
    path: '/api/v1/pages',
    summary: 'Register an official page (VK community, Telegram or MAX channel)',
    description:
      'The link is parsed: vk.com/<name>, vk.com/club123, t.me/<name>, @name, max.ru/<name>; a bare chat id needs `platform`. There is no DELETE: closing is `PATCH {"status": "closed"}`.',
    tags: ['pages'],
    auth: 'bearer',
    roles: 'people:manage',
    body: pageCreateBody,
    responses: {
      201: 'The page',
      400: 'VALIDATION_FAILED, INVALID_LINK (not a VK, Telegram or MAX page), UNKNOWN_DEPARTMENT, UNKNOWN_OFFICIAL (the field named), or PAGE_EXISTS (the same platform and id, any case, is registered; the message names the page)',
    },
  },
  {
    method: 'GET',
    path: '/api/v1/pages/:id',
    summary: 'A page with its monitoring history (newest first)',
    tags: ['pages'],
    auth: 'bearer',
    roles: 'cases:all (a department’s staff: their pages)',
    params: idParam,
    responses: { 200: 'The page with `snapshots`', 404: notFound },
  },
  {
    method: 'PATCH',
    path: '/api/v1/pages/:id',
    summary: 'Change a page; status "closed" closes it (its history is kept)',
    tags: ['pages'],
    auth: 'bearer',
    roles: 'people:manage',
    params: idParam,
    body: pagePatchBody,
    responses: { 200: 'The page', 400: 'Bad input, or PAGE_EXISTS: the new link is another page’s', 404: notFound },
  },
  {
    method: 'POST',
    path: '/api/v1/pages/:id/refresh',
    summary: 'Run a monitoring round for one page now',
    tags: ['pages'],
    auth: 'bearer',
    roles: 'people:manage',
    params: idParam,
    responses: {
      200: '{ outcome, page }: what the round did, and the page with its latest figures',
      404: notFound,
      503: 'UNAVAILABLE: monitoring is not available in this instance',
    },
  },
  {
    method: 'GET',
    path: '/api/v1/exports/pages.csv',
    summary: 'The official pages as CSV for Russian Excel (the list’s filters, its rows)',
    tags: ['exports', 'pages'],
    auth: 'bearer',
    roles: 'cases:all (a department’s staff: their pages)',
    query: pagesExportQuery,
    responses: { 200: { description: 'UTF-8 CSV with a BOM, `;`-separated, streamed', mediaType: 'text/csv' } },
  },
  {
    method: 'GET',
    path: '/api/v1/exports/pages.xlsx',
    summary: 'The official pages as an XLSX workbook (the list’s filters, its rows)',
    tags: ['exports', 'pages'],
    auth: 'bearer',
    roles: 'cases:all (a department’s staff: their pages)',
    query: pagesExportQuery,
    responses: { 200: { description: 'An XLSX workbook, streamed', mediaType: XLSX } },
  },

  // Citizens' personal data (152-ФЗ): docs/operations/personal-data.md
  {
    method: 'GET',
    path: '/api/v1/citizens',
    summary: 'Find a citizen by a case number or by messenger and platform id',
    description:
      'Give `case` (МЦУ-2026-000123) or `channel` and `externalId`. Answers ids only, for the export and forget routes.',
    tags: ['citizens'],
    auth: 'bearer',
    roles: 'citizens:data',
    query: citizensQuery,
    responses: { 200: items('{ id, channel, anonymisedAt }') },
  },
  {
    method: 'GET',
    path: '/api/v1/citizens/:id/export',
    summary: 'Everything stored about one citizen (a data-subject request)',
    description:
      'The citizen row, messages with edits and raw platform updates, cases with answers and polls, subscriptions and their history, broadcasts sent to them, page comments, pending questions and the audit entries about them. Audited as `citizen_exported` with the caller.',
    tags: ['citizens'],
    auth: 'bearer',
    roles: 'citizens:data',
    params: idParam,
    query: citizenExportQuery,
    responses: { 200: 'The export (JSON)', 404: notFound },
  },
  {
    method: 'POST',
    path: '/api/v1/citizens/:id/forget',
    summary: 'Withdraw consent and anonymise one citizen now (irreversible)',
    description:
      'As the citizen’s /forget: open cases closed with the note «житель отозвал согласие…» (their departments told), subscriptions ended, texts masked, platform ids removed. Audited.',
    tags: ['citizens'],
    auth: 'bearer',
    roles: 'citizens:data',
    params: idParam,
    body: citizenForgetBody,
    responses: { 200: '{ id, status: "forgotten", closedCases }', 404: notFound, 409: 'ALREADY_ANONYMISED' },
  },

  // People
  {
    method: 'POST',
    path: '/api/v1/officials/invites',
    summary: 'Invite an official: single-use links per messenger',
    tags: ['people'],
    auth: 'bearer',
    roles: 'people:manage',
    body: inviteRequestBody,
    responses: { 201: '{ officialId, token, link, links, expiresAt }' },
  },
  {
    method: 'POST',
    path: '/api/v1/officials/:id/invites',
    summary: 'Another invite for someone already invited',
    tags: ['people'],
    auth: 'bearer',
    roles: 'people:manage',
    params: idParam,
    responses: { 201: '{ officialId, token, link, links, expiresAt }', 404: notFound },
  },
  {
    method: 'GET',
    path: '/api/v1/officials',
    summary: 'Officials and МЦУ staff',
    tags: ['people'],
    auth: 'bearer',
    roles: 'people:manage',
    responses: { 200: items('the officials') },
  },
  {
    method: 'POST',
    path: '/api/v1/officials/:id/preferred-channel',
    summary: 'Set a person’s preferred messenger',
    tags: ['people'],
    auth: 'bearer',
    roles: 'people:manage',
    params: idParam,
    body: preferredChannelBody,
    responses: { 200: '{ id, preferredChannel }', 404: notFound, 409: 'CHANNEL_NOT_BOUND' },
  },
  {
    method: 'POST',
    path: '/api/v1/officials/:id/deactivate',
    summary: 'Deactivate a person (ends their tokens)',
    tags: ['people'],
    auth: 'bearer',
    roles: 'people:manage',
    params: idParam,
    responses: { 200: '{ id, active: false }', 404: notFound },
  },
  {
    method: 'POST',
    path: '/api/v1/officials/:id/api-tokens',
    summary: 'Issue a personal API token',
    tags: ['people'],
    auth: 'bearer',
    roles: 'service token',
    params: idParam,
    responses: { 201: '{ officialId, token }', 404: notFound },
  },
  {
    method: 'DELETE',
    path: '/api/v1/officials/:id/api-tokens',
    summary: 'Revoke a person’s API tokens',
    tags: ['people'],
    auth: 'bearer',
    roles: 'people:manage',
    params: idParam,
    responses: { 200: '{ officialId, revoked }' },
  },

  // Answers and case actions
  {
    method: 'POST',
    path: '/api/v1/cases/:id/answers',
    summary: 'Answer the citizen (interim or final)',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'case scope',
    params: idParam,
    body: answerBody,
    responses: {
      201: 'The answer, sent',
      202: 'The answer, held for review',
      404: notFound,
      409: 'INVALID_TRANSITION',
      422: 'ANSWER_NEEDS_REVISION, with the verdict in `quality`',
    },
  },
  {
    method: 'GET',
    path: '/api/v1/cases/:id/answers',
    summary: 'A case’s answers',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'case scope',
    params: idParam,
    responses: { 200: items('the answers') },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/extensions',
    summary: 'Request a deadline extension',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'case scope',
    params: idParam,
    body: extensionRequestBody,
    responses: { 201: 'The request', 404: notFound, 409: conflict },
  },
  {
    method: 'GET',
    path: '/api/v1/extensions',
    summary: 'Extension requests',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'triage',
    query: extensionsQuery,
    responses: { 200: items('the extension requests') },
  },
  {
    method: 'POST',
    path: '/api/v1/extensions/:id/decision',
    summary: 'Approve or reject an extension request',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'triage',
    params: idParam,
    body: decisionBody,
    responses: { 200: '{ id, … }', 404: notFound, 409: 'ALREADY_DECIDED' },
  },
  {
    method: 'POST',
    path: '/api/v1/answers/:id/review',
    summary: 'Let out or send back a held answer',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'triage',
    params: idParam,
    body: decisionBody,
    responses: { 200: '{ id, … }', 404: notFound, 409: conflict },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/assign',
    summary: 'Route a case by hand to a department or an official',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'triage',
    params: idParam,
    body: assignBody,
    responses: { 200: '{ id, … }', 404: notFound, 409: conflict },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/return',
    summary: 'Return a case to triage',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'case scope',
    params: idParam,
    body: returnBody,
    responses: { 200: '{ id, … }', 404: notFound, 409: conflict },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/merge',
    summary: 'Merge a duplicate into another case',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'triage',
    params: idParam,
    body: mergeBody,
    responses: { 200: '{ id, … }', 404: notFound, 409: conflict },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/questions',
    summary: 'Ask the citizen a question (pauses the case)',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'case scope',
    params: idParam,
    body: questionBody,
    responses: { 201: '{ id, … }', 404: notFound, 409: conflict },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/resume',
    summary: 'Resume a paused case',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'case scope',
    params: idParam,
    body: resumeBody,
    responses: { 200: '{ id, … }', 404: notFound, 409: 'NOT_PAUSED' },
  },
  {
    method: 'GET',
    path: '/api/v1/stats/departments',
    summary: 'The departments’ ranking',
    tags: ['case actions'],
    auth: 'bearer',
    roles: 'cases:all',
    query: departmentStatsQuery,
    responses: { 200: 'The ranking' },
  },

  // The inbox
  {
    method: 'GET',
    path: '/api/v1/dead-letters',
    summary: 'What the inbox parked, newest first',
    tags: ['inbox'],
    auth: 'bearer',
    roles: 'triage',
    query: deadLettersQuery,
    responses: { 200: '{ items, next }' },
  },
  {
    method: 'POST',
    path: '/api/v1/dead-letters/:id/replay',
    summary: 'Replay a dead letter',
    tags: ['inbox'],
    auth: 'bearer',
    roles: 'triage',
    params: idParam,
    responses: {
      200: '{ status: "requeued"|"stored"|"decision_retried", … }',
      404: notFound,
      409: 'ALREADY_REPLAYED or NOT_REPLAYABLE',
      422: 'STILL_MALFORMED',
    },
  },

  // Platform callbacks (registered only where the messenger runs with a webhook)
  {
    method: 'POST',
    path: '/telegram/webhook',
    summary: 'Telegram updates',
    description: 'The secret in `X-Telegram-Bot-Api-Secret-Token`; the body is a Telegram Update.',
    tags: ['webhooks'],
    auth: 'webhook-secret',
    responses: { 200: 'Stored (or kept in the dead letters)', 401: 'Wrong or missing secret', 503: 'Not stored; re-send' },
  },
  {
    method: 'POST',
    path: '/vk/callback',
    summary: 'VK Callback API events',
    description: 'The group id and the secret inside the body; `confirmation` answers the configured code.',
    tags: ['webhooks'],
    auth: 'webhook-secret',
    responses: {
      200: { description: '"ok", or the confirmation code', mediaType: 'text/plain' },
      400: { description: 'Not a VK event', mediaType: 'text/plain' },
      403: { description: 'Wrong group or secret', mediaType: 'text/plain' },
      503: { description: 'Not stored; VK re-sends', mediaType: 'text/plain' },
    },
  },
  {
    method: 'POST',
    path: '/max/webhook',
    summary: 'MAX updates',
    description: 'The secret in `X-Max-Bot-Api-Secret`; the body is a MAX Update.',
    tags: ['webhooks'],
    auth: 'webhook-secret',
    responses: {
      200: 'Stored (or kept in the dead letters)',
      400: 'NOT_JSON (kept)',
      401: 'Wrong or missing secret',
      503: 'Not stored; re-send',
    },
  },
];
