import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteOfficial } from '../../handlers/people/index.js';
import { testDomain } from '../helpers/app.js';
import { addPerson, type ConsoleApp, signIn, startConsoleApp, textOf } from './harness.js';

const inviteRoles = (html: string) =>
  [...(/<select id="i-role"[\s\S]*?<\/select>/.exec(html)?.[0] ?? '').matchAll(/<option value="([a-z_]+)"/g)].map((m) => m[1]);

/** Who may grant which role (the two-person approval of broadcasts), and who sees «Рекомендации». */
describe('console: roles an inviter may grant; the menu', () => {
  let c: ConsoleApp;
  beforeAll(async () => {
    c = await startConsoleApp('console_roles');
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('when an operator opens the invite form, then the approvers’, head’s and curator’s roles are not offered, and a forged invite for one is 403', async () => {
    const operator = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
    const page = await operator.get('/console/people');
    const offered = inviteRoles(page.html);
    expect(offered).toEqual(expect.arrayContaining(['operator', 'official', 'department_head', 'block_owner']));
    for (const role of ['head', 'curator', 'coordinator']) expect(offered).not.toContain(role);
    expect(textOf(page.html)).toContain('назначает руководитель или куратор МЦУ');
    for (const role of ['head', 'coordinator', 'curator']) {
      const forged = await operator.post('/console/people/invite', { name: `Самозванец ${role}`, role, department: 'mcu' });
      expect(forged.status).toBe(403);
    }
    const made = await c.db.selectFrom('official').select('id').where('name', 'like', 'Самозванец%').execute();
    expect(made).toHaveLength(0);
    const ok = await operator.post('/console/people/invite', { name: 'Новый Оператор', role: 'operator', department: 'mcu' });
    expect(ok.status).toBe(200);
  });

  it('when the head invites, then every role is offered and an approver can be invited', async () => {
    const head = await signIn(c, await addPerson(c.db, { role: 'head', department: 'mcu' }));
    const page = await head.get('/console/people');
    expect(inviteRoles(page.html)).toEqual(expect.arrayContaining(['head', 'curator', 'coordinator', 'official']));
    const ok = await head.post('/console/people/invite', { name: 'Новый Координатор', role: 'coordinator', department: 'mcu' });
    expect(ok.status).toBe(200);
  });

  it('when the API’s use case is called by an operator for a head, then it refuses the role; the service token may', async () => {
    const operator = await addPerson(c.db, { role: 'operator', department: 'mcu' });
    const deps = { db: c.db, clock: { now: () => new Date() }, domain: testDomain() };
    const refused = await inviteOfficial(deps, {
      name: 'Через API',
      role: 'head',
      department: 'mcu',
      actor: { type: 'official', officialId: operator.id },
    });
    expect(refused.status).toBe('role_not_grantable');
    const allowed = await inviteOfficial(deps, {
      name: 'Через токен',
      role: 'head',
      department: 'mcu',
      actor: { type: 'api', author: null },
    });
    expect(allowed.status).toBe('created');
  });

  it('when a department head signs in, then «Рекомендации» is in the menu and opens; an official sees neither', async () => {
    const deptHead = await signIn(c, await addPerson(c.db, { role: 'department_head', department: 'roads-transport' }));
    const home = await deptHead.get('/console/cases');
    expect(home.html).toContain('href="/console/recommendations"');
    expect((await deptHead.get('/console/recommendations')).status).toBe(200);
    const official = await signIn(c, await addPerson(c.db, { role: 'official', department: 'roads-transport' }));
    const own = await official.get('/console/cases');
    expect(own.html).not.toContain('href="/console/recommendations"');
    expect((await official.get('/console/recommendations')).status).toBe(403);
  });
});
