import Fastify from 'fastify';
import type { Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseTable } from '../../models/schema.js';
import { EventStreams, LiveFeed } from '../../src/console/live.js';
import { seedCase } from '../helpers/rows.js';
import { addPerson, type ConsoleApp, type ConsoleClient, signIn, startConsoleApp, textOf } from './harness.js';

/** Разбор: the triage queue, one-click category and department, stale forms, roles, the live stream (invented cases). */
describe('console triage', () => {
  let c: ConsoleApp;
  let operator: ConsoleClient;
  let official: ConsoleClient;
  let openStream: ReadableStreamDefaultReader<Uint8Array> | undefined;

  const hour = 3_600_000;
  const triageCase = (over: Partial<Parameters<typeof seedCase>[1]> = {}) =>
    seedCase(c.db, {
      status: 'triage',
      department: 'mcu',
      triage_reason: 'low_confidence',
      district: 'central',
      text: 'Во дворе огромная яма, машины не проезжают',
      suggestions: JSON.stringify([
        { label: 'roads', confidence: 0.62 },
        { label: 'yards', confidence: 0.21 },
        { label: 'pavements', confidence: 0.09 },
      ]),
      deadline_at: new Date(Date.now() + 48 * hour),
      ...over,
    });
  const stateOf = (id: number) =>
    c.db
      .selectFrom('case')
      .select(['status', 'category', 'department', 'category_rule', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const auditOf = (id: number) =>
    c.db.selectFrom('audit_log').select(['action', 'actor', 'details']).where('entity_id', '=', String(id)).execute();
  const examplesOf = (id: number) =>
    c.db.selectFrom('training_example').select(['label', 'source']).where('case_id', '=', id).execute();
  const versionOf = (row: Selectable<CaseTable>) => row.updated_at.toISOString();
  const htmx = (client: ConsoleClient) => ({ headers: { 'hx-request': 'true', 'x-csrf-token': client.csrf } });

  beforeAll(async () => {
    c = await startConsoleApp('console_triage');
    operator = await signIn(c, await addPerson(c.db, { name: 'Ольга Разборова', role: 'operator', department: 'mcu' }));
    official = await signIn(c, await addPerson(c.db, { role: 'official', department: 'roads-transport' }));
  });
  afterAll(async () => {
    // A stream still open must not hold the shutdown: preClose ends it and the reader sees the end.
    await c?.stop();
    if (openStream) {
      let chunk = await openStream.read();
      while (!chunk.done) chunk = await openStream.read();
      expect(chunk.done).toBe(true);
    }
  });

  it('when an operator opens Разбор, then the waiting cases show urgent first, then the oldest, with the guesses and their confidence', async () => {
    const old = await triageCase({ at: new Date(Date.now() - 5 * hour), text: 'Старая яма у дома 5' });
    const urgent = await triageCase({ priority: 'urgent', text: 'Провод оборван над детской площадкой', district: 'leninsky' });
    const newest = await triageCase({
      status: 'new',
      triage_reason: null,
      suggestions: null,
      district: null,
      text: 'Без подсказок',
    });
    const routed = await seedCase(c.db, { status: 'assigned', department: 'roads-transport', text: 'Уже передано дорожникам' });

    const page = await operator.get('/console/triage');
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Разбор');
    expect(text).not.toContain(routed.text);
    const order = [urgent, old, newest].map((x) => text.indexOf(x.number));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const row = /<tr id="triage-\d+"[^>]*aria-label="Обращение [^"]*"[\s\S]*?<\/tr>/.exec(
      page.html.slice(page.html.indexOf(`id="triage-${old.id}"`) - 8),
    )?.[0];
    const oldRow = textOf(row ?? '');
    expect(oldRow).toContain('Старая яма у дома 5');
    expect(oldRow).toContain('Центральный');
    expect(oldRow).toContain('классификатор не уверен');
    expect(oldRow).toContain('1 Дороги (ямы, ремонт, грейдирование) · 62 %');
    expect(oldRow).toContain('2 Благоустройство дворов и общественных пространств · 21 %');
    expect(text).toContain('срочно');
    expect(text).toContain('Подсказок нет');
    expect(page.html).toContain('data-live="/console/triage/events"');
    expect(page.html).toContain('hx-trigger="refresh"');
    expect(page.html).toContain('id="shortcuts"');

    const filtered = textOf((await operator.get('/console/triage?district=leninsky')).html);
    expect(filtered).toContain(urgent.number);
    expect(filtered).not.toContain(old.number);
    const rows = await operator.get('/console/triage/rows?priority=urgent');
    expect(rows.status).toBe(200);
    expect(textOf(rows.html)).toContain(urgent.number);
    expect(textOf(rows.html)).not.toContain(old.number);
    expect(rows.html).not.toContain('<html');
  });

  it('when the operator exports the queue, then the CSV holds exactly the waiting cases of the filters, new ones included', async () => {
    const waiting = await triageCase({ district: 'zheleznodorozhny', text: 'Экспорт: яма на Железнодорожном' });
    const fresh = await triageCase({
      district: 'zheleznodorozhny',
      status: 'new',
      triage_reason: null,
      text: 'Экспорт: только пришло',
    });
    const routed = await seedCase(c.db, { status: 'assigned', district: 'zheleznodorozhny', department: 'roads-transport' });
    const page = await operator.get('/console/triage?district=zheleznodorozhny');
    expect(page.html).toContain('href="/console/triage.csv?district=zheleznodorozhny"');
    const listed = [...page.html.matchAll(/id="triage-(\d+)"/g)].map((m) => Number(m[1]));
    const csv = await operator.get('/console/triage.csv?district=zheleznodorozhny');
    expect(csv.status).toBe(200);
    const numbers = [...csv.html.matchAll(/МЦУ-\d{4}-\d{6}/g)].map((m) => m[0]);
    expect(new Set(numbers)).toEqual(new Set([waiting.number, fresh.number]));
    expect(numbers).not.toContain(routed.number);
    expect(new Set(listed)).toEqual(new Set([waiting.id, fresh.id]));
    expect((await official.get('/console/triage.csv')).status).toBe(403);
  });

  it('when the operator clicks a suggestion, then the case gets that category, is routed to its department and the classifier keeps the correction', async () => {
    const one = await triageCase({ text: 'Яма на дороге по ул. Попова' });
    await operator.get('/console/triage');
    const done = await operator.post(`/console/triage/${one.id}/category`, {
      category: 'roads',
      version: versionOf(one),
      district: 'central',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(
      `/console/triage?district=central&done=${encodeURIComponent(one.number)}&to=roads-transport`,
    );
    expect(await stateOf(one.id)).toMatchObject({
      status: 'assigned',
      category: 'roads',
      department: 'roads-transport',
      category_rule: 'operator',
    });
    expect(await auditOf(one.id)).toContainEqual(
      expect.objectContaining({
        action: 'category_corrected',
        details: expect.objectContaining({ to: 'roads', department: 'roads-transport' }),
      }),
    );
    expect(await examplesOf(one.id)).toEqual([{ label: 'roads', source: 'correction' }]);
    const back = textOf((await operator.get(done.headers.get('location') ?? '')).html);
    expect(back).toContain(`Обращение ${one.number} → Комитет`);
    expect(back).not.toContain('Яма на дороге по ул. Попова');
  });

  it('when the operator works with htmx, then the row is replaced by «МЦУ-… → department» with a link to the case', async () => {
    const one = await triageCase({ text: 'Во дворе не убирают мусор' });
    await operator.get('/console/triage');
    const fragment = await operator.post(
      `/console/triage/${one.id}/category`,
      { category: 'yards', version: versionOf(one) },
      htmx(operator),
    );
    expect(fragment.status).toBe(200);
    expect(fragment.html).not.toContain('<html');
    expect(fragment.html).toContain(`href="/console/cases/${one.number}"`);
    expect(textOf(fragment.html)).toContain(`${one.number} → Администрация Центрального района`);
    expect(await stateOf(one.id)).toMatchObject({ status: 'assigned', category: 'yards', department: 'adm-central' });
  });

  it('when the operator sends a case to a department directly, then it is assigned there and the audit names the operator', async () => {
    const one = await triageCase({ text: 'Непонятно чьё: шумят по ночам' });
    await operator.get('/console/triage');
    const fragment = await operator.post(
      `/console/triage/${one.id}/department`,
      { department: 'police', version: versionOf(one) },
      htmx(operator),
    );
    expect(fragment.status).toBe(200);
    expect(textOf(fragment.html)).toContain(`${one.number} → УМВД России по г. Барнаулу`);
    expect(await stateOf(one.id)).toMatchObject({ status: 'assigned', department: 'police', category: null });
    const audit = await auditOf(one.id);
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'assigned', details: expect.objectContaining({ department: 'police' }) }),
    );
    expect(audit.find((a) => a.action === 'assigned')?.actor).toMatch(/^official:\d+$/);
  });

  it('when an official opens Разбор or forges its forms, then 403 and nothing changes', async () => {
    const one = await triageCase();
    const page = await official.get('/console/triage');
    expect(page.status).toBe(403);
    expect(textOf(page.html)).toContain('Нет доступа');
    expect((await official.get('/console/triage/rows')).status).toBe(403);
    expect((await official.get('/console/triage/events')).status).toBe(403);
    await official.get('/console/cases');
    expect(
      (await official.post(`/console/triage/${one.id}/category`, { category: 'roads', version: versionOf(one) })).status,
    ).toBe(403);
    expect(
      (await official.post(`/console/triage/${one.id}/department`, { department: 'police', version: versionOf(one) })).status,
    ).toBe(403);
    expect(await stateOf(one.id)).toMatchObject({ status: 'triage', category: null, department: 'mcu' });
    expect(await auditOf(one.id)).toEqual([]);
  });

  it('when the category is not in the list, then 400 with the field marked and nothing saved', async () => {
    const one = await triageCase();
    await operator.get('/console/triage');
    const page = await operator.post(`/console/triage/${one.id}/category`, {
      category: 'teleportation',
      version: versionOf(one),
    });
    expect(page.status).toBe(400);
    expect(page.html).toMatch(
      new RegExp(`id="cat-${one.id}"[^>]*aria-invalid="true"[^>]*aria-describedby="err-${one.id}-category"`),
    );
    expect(textOf(page.html)).toContain('Такого значения нет в справочнике');
    const fragment = await operator.post(
      `/console/triage/${one.id}/department`,
      { department: 'nowhere', version: versionOf(one) },
      htmx(operator),
    );
    expect(fragment.status).toBe(400);
    expect(fragment.html).toMatch(/aria-invalid="true"/);
    expect(fragment.html).not.toContain('<html');
    const empty = await operator.post(`/console/triage/${one.id}/category`, { category: '', version: versionOf(one) });
    expect(empty.status).toBe(400);
    expect(textOf(empty.html)).toContain('Выберите категорию.');
    expect(await stateOf(one.id)).toMatchObject({ status: 'triage', category: null, department: 'mcu' });
    expect(await examplesOf(one.id)).toEqual([]);
    expect(await auditOf(one.id)).toEqual([]);
  });

  it('when the case changed or left triage since the page was rendered, then 409 says so and nothing is overwritten', async () => {
    const one = await triageCase();
    const shown = versionOf(one);
    await c.db
      .updateTable('case')
      .set({ text: 'Житель дополнил', updated_at: new Date(Date.now() + 1000) })
      .where('id', '=', one.id)
      .execute();
    await operator.get('/console/triage');
    const stale = await operator.post(`/console/triage/${one.id}/category`, { category: 'roads', version: shown });
    expect(stale.status).toBe(409);
    expect(textOf(stale.html)).toContain('Обращение изменилось, пока вы его смотрели');
    expect(await stateOf(one.id)).toMatchObject({ status: 'triage', category: null, department: 'mcu' });

    // Another operator routed it meanwhile: the second click must not re-route it.
    const two = await triageCase();
    await operator.post(`/console/triage/${two.id}/department`, { department: 'police', version: versionOf(two) });
    const late = await operator.post(
      `/console/triage/${two.id}/category`,
      { category: 'roads', version: versionOf(two) },
      htmx(operator),
    );
    expect(late.status).toBe(409);
    expect(textOf(late.html)).toContain(
      `${two.number} уже разобрано: «Передано исполнителю», подразделение «УМВД России по г. Барнаулу»`,
    );
    expect(await stateOf(two.id)).toMatchObject({ status: 'assigned', category: null, department: 'police' });
    expect(await examplesOf(two.id)).toEqual([]);
  });

  it('when a returned case is given the category it already has, then 422 says to pick a department and it stays in triage', async () => {
    const one = await triageCase({ category: 'roads', triage_reason: 'reassignment', department: null });
    await operator.get('/console/triage');
    const page = await operator.post(`/console/triage/${one.id}/category`, { category: 'roads', version: versionOf(one) });
    expect(page.status).toBe(422);
    expect(textOf(page.html)).toContain(
      'У обращения уже категория «Дороги (ямы, ремонт, грейдирование)». Передайте его в подразделение.',
    );
    expect(textOf(page.html)).toContain('возвращено подразделением');
    expect(await stateOf(one.id)).toMatchObject({ status: 'triage', category: 'roads', department: null });
  });

  it('when there are more cases than a page, then «Дальше» shows the rest without repeating any', async () => {
    const many: Selectable<CaseTable>[] = [];
    for (let i = 0; i < 32; i++)
      many.push(await triageCase({ district: 'oktyabrsky', at: new Date(Date.now() - (40 - i) * hour), text: `Пакет ${i}` }));
    const first = await operator.get('/console/triage?district=oktyabrsky');
    const next = /href="(\/console\/triage\?[^"]*after=[^"]+)"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeDefined();
    const second = await operator.get(next ?? '');
    const shown = (html: string) => many.filter((x) => html.includes(`id="triage-${x.id}"`)).map((x) => x.id);
    const a = shown(first.html);
    const b = shown(second.html);
    expect(a.length + b.length).toBe(32);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    expect(textOf(first.html)).toContain('Ждут разбора по этим фильтрам: 32');
  });

  it('when a case arrives while the page is open, then the event stream says «changed» within seconds', async () => {
    const cookie = [...operator.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const abort = new AbortController();
    const res = await fetch(`${c.url}/console/triage/events`, { headers: { cookie }, signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let seen = '';
    const until = async (needle: string, ms: number) => {
      const deadline = Date.now() + ms;
      while (!seen.includes(needle)) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
        if (!chunk || chunk.done) return seen.includes(needle);
        seen += decoder.decode(chunk.value, { stream: true });
      }
      return true;
    };
    expect(await until(': connected', 2_000)).toBe(true);
    // The poller's first read is its baseline: let it happen before the queue changes.
    await new Promise((r) => setTimeout(r, 500));
    await triageCase({ text: 'Новое во время просмотра' });
    expect(await until('event: changed', 8_000)).toBe(true);
    abort.abort();

    // Without a session the stream is refused (to the login page), not opened.
    const anonymous = await fetch(`${c.url}/console/triage/events`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    await anonymous.body?.cancel();

    const again = await fetch(`${c.url}/console/triage/events`, { headers: { cookie } });
    openStream = again.body?.getReader();
  }, 20_000);
});

describe('live feed', () => {
  it('when streams subscribe, then one poller reads for all of them, signals each change and stops with the last', async () => {
    let mark = 0;
    let reads = 0;
    const feed = new LiveFeed({
      read: async () => {
        reads++;
        return String(mark);
      },
      intervalMs: 10,
    });
    const seen: string[] = [];
    const offA = feed.subscribe(() => seen.push('a'));
    const offB = feed.subscribe(() => seen.push('b'));
    await new Promise((r) => setTimeout(r, 60));
    expect(seen).toEqual([]);
    const before = reads;
    await new Promise((r) => setTimeout(r, 55));
    // One reader for both subscribers: about one read per interval, not two.
    expect(reads - before).toBeLessThanOrEqual(7);
    mark++;
    await new Promise((r) => setTimeout(r, 40));
    expect(seen.sort()).toEqual(['a', 'b']);
    offA();
    expect(feed.polling).toBe(true);
    offB();
    expect(feed.polling).toBe(false);
    const stopped = reads;
    await new Promise((r) => setTimeout(r, 40));
    expect(reads).toBe(stopped);
  });

  it('when a read fails, then it is reported and polling goes on', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const feed = new LiveFeed({
      read: async () => {
        if (fail) throw new Error('database restarting');
        return 'x';
      },
      intervalMs: 5,
      onError: (e) => errors.push(e),
    });
    const off = feed.subscribe(() => {});
    await new Promise((r) => setTimeout(r, 30));
    fail = false;
    await new Promise((r) => setTimeout(r, 30));
    expect(errors.length).toBeGreaterThan(0);
    expect(feed.polling).toBe(true);
    off();
    const streams = new EventStreams(feed);
    streams.close();
    expect(feed.polling).toBe(false);
  });

  it('when the client of a stream goes away, then the stream is cleaned up and the poller stops', async () => {
    let mark = 'a';
    const streams = new EventStreams(new LiveFeed({ read: async () => mark, intervalMs: 10 }), { heartbeatMs: 20 });
    // fetch keeps a spare idle socket open: close it with the server rather than wait for its timeout.
    const app = Fastify({ forceCloseConnections: true });
    app.get('/events', async (request, reply) => streams.open(request, reply));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const abort = new AbortController();
      const res = await fetch(`${url}/events`, { signal: abort.signal });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body?.getReader();
      if (!reader) throw new Error('no body');
      let seen = '';
      await new Promise((r) => setTimeout(r, 50));
      mark = 'b';
      while (!seen.includes('event: changed')) seen += new TextDecoder().decode((await reader.read()).value);
      while (!seen.includes(': heartbeat')) seen += new TextDecoder().decode((await reader.read()).value);
      expect(streams.size).toBe(1);
      expect(streams.feed.polling).toBe(true);
      abort.abort();
      await new Promise((r) => setTimeout(r, 100));
      expect(streams.size).toBe(0);
      expect(streams.feed.polling).toBe(false);
    } finally {
      streams.close();
      await app.close();
    }
  });
});
