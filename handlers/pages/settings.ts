import { type DomainConfig, domainConfigSchema } from '../../config/domain.js';

/** The domain file's `pages:` section (monitoring schedule, reply term, alerts, score criteria, rating weight). */
export type PageSettings = NonNullable<DomainConfig['pages']>;

/** Without a `pages:` section: the schema's own defaults (read from it, so never out of step with config/domain.ts). */
export const DEFAULT_PAGE_SETTINGS: PageSettings = domainConfigSchema.unwrap().shape.pages.unwrap().parse({});

export function pageSettings(domain: Pick<DomainConfig, 'pages'>): PageSettings {
  return domain.pages ?? DEFAULT_PAGE_SETTINGS;
}
