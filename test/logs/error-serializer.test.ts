import { Writable } from 'node:stream';
import { BotError, GrammyError, HttpError } from 'grammy';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APIError } from 'vk-io';
import { createLogger, failureSummary, scrubSecrets, serializeError } from '../../src/logger.js';

const TOKEN = '5123456789:AAHsuperSecretTokenValue_0123456789abcd';
const TEXT = 'Аграфена пишет: звоните +79991234567';

function capture(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: createLogger({ level, destination }), lines, out: () => lines.join('') };
}

function grammyError() {
  return new GrammyError(
    "Call to 'sendMessage' failed!",
    { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    'sendMessage',
    { chat_id: 987654321012, text: TEXT },
  );
}

function pgError() {
  const error = new pg.DatabaseError('invalid input syntax for type integer: "Аграфена"', 100, 'error');
  Object.assign(error, {
    code: '22P02',
    severity: 'ERROR',
    detail: `Failing row contains (1, ${TEXT}).`,
    where: `SQL statement "insert into message values ('${TEXT}')"`,
    parameters: [TEXT, 987654321012],
    query: 'insert into message (text) values ($1)',
  });
  return error;
}

describe('serializeError', () => {
  it('when a GrammyError carries the payload, then only class, code, method and message remain', () => {
    const s = serializeError(grammyError());
    expect(s).toEqual({
      type: 'GrammyError',
      code: 403,
      method: 'sendMessage',
      message: "Call to 'sendMessage' failed! (403: Forbidden: bot was blocked by the user)",
    });
  });

  it('when a Bot API reply has no error code or description (the sandbox emulator), then the message says so', () => {
    const error = new GrammyError("Call to 'setMyCommands' failed!", { ok: false } as never, 'setMyCommands', {});
    expect(serializeError(error)).toEqual({
      type: 'GrammyError',
      method: 'setMyCommands',
      message: "Call to 'setMyCommands' failed! (the reply had no error code or description)",
    });
  });

  it('when an HttpError (and its cause) mention the Bot API URL, then the token is scrubbed', () => {
    const url = `https://api.telegram.org/bot${TOKEN}/getUpdates?offset=5`;
    const cause = new Error(`request to ${url} failed, reason: connect ECONNREFUSED`);
    Object.assign(cause, { code: 'ECONNREFUSED' });
    const error = new HttpError(`Network request for 'getUpdates' failed! ${cause.message}`, cause);
    const text = JSON.stringify(serializeError(error, { stack: true }));
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('AAHsuperSecret');
    expect(text).toContain('/bot[redacted]/getUpdates');
    expect(serializeError(error).cause).toMatchObject({ type: 'Error', code: 'ECONNREFUSED' });
    expect(serializeError(error).stack).toBeUndefined();
  });

  it("when grammY's BotError wraps an error with the update context, then the context is never copied", () => {
    const ctx = { update: { message: { text: TEXT, from: { id: 987654321012, first_name: 'Аграфена' } } } };
    const error = new BotError(grammyError(), ctx as never);
    const text = JSON.stringify(serializeError(error));
    expect(text).not.toMatch(/Аграфена|987654321012|79991234567/);
    expect(serializeError(error)).toMatchObject({ type: 'BotError', cause: { type: 'GrammyError', code: 403 } });
  });

  it('when a pg error carries detail, where, parameters and query, then only the SQLSTATE and a value-free message remain', () => {
    const s = serializeError(pgError());
    expect(s).toEqual({ type: 'DatabaseError', code: '22P02', message: 'invalid input syntax for type integer: "[value]"' });
  });

  it('when a vk-io APIError carries the request params, then they are not copied', () => {
    const error = new APIError({
      error_code: 5,
      error_msg: 'User authorization failed: invalid access_token (4).',
      request_params: [
        { key: 'access_token', value: 'vk1.a.SECRETsecretSECRET' },
        { key: 'message', value: TEXT },
      ],
    });
    const s = serializeError(error);
    expect(s).toMatchObject({ type: 'APIError', code: 5 });
    expect(JSON.stringify(s)).not.toMatch(/SECRETsecret|Аграфена/);
  });

  it('when causes nest deeply or loop, then the depth is limited', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    const c = new Error('c', { cause: b });
    const d = new Error('d', { cause: c });
    const e = new Error('e', { cause: d });
    Object.assign(a, { cause: e });
    const s = serializeError(e);
    expect(s.cause?.cause?.cause?.message).toBe('b');
    expect(s.cause?.cause?.cause?.cause).toBeUndefined();
  });

  it('scrubs tokens, bot URL segments, access tokens, secrets, passwords and URL credentials', () => {
    const out = scrubSecrets(
      [
        `token ${TOKEN}`,
        'GET /bot123:short/getMe',
        'https://api.vk.com/method/x?access_token=abc123&v=5.199',
        'setWebhook?url=x&secret=s3cr3t&password=hunter2',
        'postgres://mcu:p%40ss@127.0.0.1:5432/mcu',
        'Authorization: Bearer mcu_abcdef',
      ].join('\n'),
    );
    for (const secret of [TOKEN, 'AAHsuper', '123:short', 'abc123', 's3cr3t', 'hunter2', 'p%40ss', 'mcu_abcdef']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('postgres://mcu:[redacted]@127.0.0.1:5432/mcu');
  });
});

describe('the logger applies the serializer everywhere', () => {
  it('when { err } or { error } or an Error under another key is logged at info, then no payload, detail or stack', () => {
    const { log, out } = capture('info');
    log.error({ err: grammyError() }, 'telegram update failed');
    log.error({ error: pgError() }, 'VK event not stored');
    log.warn({ reason: pgError() }, 'database unreachable');
    log.error(new HttpError(`Network request failed for https://x/bot${TOKEN}/getMe`, new Error('x')));
    log.warn({ reason: `connect to postgres://mcu:hunter2@db/mcu failed (token ${TOKEN})` }, 'retrying');
    const text = out();
    for (const secret of ['Аграфена', '987654321012', '79991234567', TOKEN, 'hunter2', 'Failing row', '"stack"']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('"code":"22P02"');
    expect(text).toContain('"method":"sendMessage"');
  });

  it('when the logger runs at debug, then the stack is included (scrubbed)', () => {
    const { log, out } = capture('debug');
    log.error({ err: new Error(`failed at /bot${TOKEN}/getMe`) }, 'x');
    expect(out()).toContain('"stack":"Error: failed at /bot[redacted]/getMe');
    expect(out()).not.toContain(TOKEN);
  });
});

describe('failureSummary', () => {
  afterEach(() => vi.useRealTimers());

  it('when the same non-essential call fails 40 times, then one warning with the count per reason', () => {
    vi.useFakeTimers();
    const { log, lines } = capture('info');
    const summary = failureSummary(log, { what: 'setMyCommands', unit: ['staff chat', 'staff chats'], quietMs: 1_000 });
    for (let i = 0; i < 40; i++) {
      vi.advanceTimersByTime(50);
      summary.add(grammyError());
    }
    summary.add(new Error('socket hang up'));
    expect(lines).toHaveLength(0);
    vi.advanceTimersByTime(1_000);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(
      "setMyCommands failed for 40 staff chats: GrammyError 403: Call to 'sendMessage' failed! (403: Forbidden: bot was blocked by the user)",
    );
    expect(lines[1]).toContain('setMyCommands failed for 1 staff chat: Error: socket hang up');
    expect(lines.join('')).not.toContain('"stack"');
  });
});
