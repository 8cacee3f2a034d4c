import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCase, seedMessage } from '../helpers/rows.js';
import { addPerson, type ConsoleApp, signIn, startConsoleApp } from './harness.js';

const TOKEN = '7000000001:ATTACHMENTS_TEST_TOKEN_0001';
const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

/** A Bot API stand-in: getFile gives a path, /file/bot<token>/<path> the bytes; every other method says ok. */
function fakeBotApi(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (url === `/file/bot${TOKEN}/photos/file_1.jpg`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(PHOTO);
      return;
    }
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const result = url.endsWith('/getFile')
        ? JSON.parse(body).file_id === 'PHOTO-1'
          ? { file_id: 'PHOTO-1', file_unique_id: 'u1', file_path: 'photos/file_1.jpg' }
          : null
        : true;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          result === null ? { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' } : { ok: true, result },
        ),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A citizen's Telegram attachment opens from the case card, for whoever may see the case and no one else. */
describe('console: attachments', () => {
  let c: ConsoleApp;
  let api: Server;
  let number = '';
  let messageId = 0;

  beforeAll(async () => {
    api = await fakeBotApi();
    c = await startConsoleApp('console_attachments', {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    });
    const kase = await seedCase(c.db, { department: 'housing-utilities', channel: 'telegram' });
    number = kase.number;
    const m = await seedMessage(c.db, {
      case_id: kase.id,
      channel: 'telegram',
      attachments: JSON.stringify([
        { type: 'photo', fileId: 'PHOTO-1', name: 'подвал.jpg', size: 40_960 },
        { type: 'location' },
        { type: 'document', fileId: 'GONE', name: 'акт.pdf', mimeType: 'application/pdf' },
      ]),
    });
    messageId = m.id;
  });
  afterAll(async () => {
    await c?.stop();
    await new Promise((resolve) => api?.close(resolve));
  });

  const href = (n: number) => `/console/cases/${encodeURIComponent(number)}/attachments/${messageId}/${n}`;

  it('when an official of the department opens the case, then the photo links to its file, which streams from Telegram', async () => {
    const official = await signIn(c, await addPerson(c.db, { role: 'official', department: 'housing-utilities' }));
    const page = await official.get(`/console/cases/${encodeURIComponent(number)}`);
    expect(page.html).toContain(`href="${href(0)}"`);
    expect(page.html).not.toContain(`href="${href(1)}"`);
    const res = await fetch(`${c.url}${href(0)}`, { headers: { cookie: `mcu_console=${official.cookies.get('mcu_console')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PHOTO);
  });

  it('when the file is gone, the attachment has no file or the index is wrong, then 502 or 404 — never 500', async () => {
    const official = await signIn(c, await addPerson(c.db, { role: 'official', department: 'housing-utilities' }));
    expect((await official.get(href(2))).status).toBe(502);
    expect((await official.get(href(1))).status).toBe(404);
    expect((await official.get(href(9))).status).toBe(404);
    expect((await official.get(`/console/cases/${encodeURIComponent(number)}/attachments/abc/0`)).status).toBe(404);
  });

  it('when another department’s official asks for the file, then 403', async () => {
    const other = await signIn(c, await addPerson(c.db, { role: 'official', department: 'roads-transport' }));
    expect((await other.get(href(0))).status).toBe(403);
  });
});
