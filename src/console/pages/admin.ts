import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';
import { peoplePages } from './admin/people.js';
import { settingsPages } from './admin/settings.js';
import { sourcesPages } from './admin/sources.js';

/** The administration's sections: sources (chats the bot was added to), people, settings (read-only). */
export function adminPages(app: FastifyInstance, deps: ConsoleDeps): void {
  sourcesPages(app, deps);
  peoplePages(app, deps);
  settingsPages(app, deps);
}
