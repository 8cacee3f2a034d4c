import { type DomainConfig, domainConfigSchema } from '../../config/domain.js';

/** The domain file's `pages` section (docs/architecture/official-pages.md). */
export type PageSettings = NonNullable<DomainConfig['pages']>;

/** The schema's own defaults, for a domain file without the `pages` section (read from the schema, so never out of step). */
export const PAGE_DEFAULTS: PageSettings = domainConfigSchema.unwrap().shape.pages.unwrap().parse({});

/** The monitoring's settings: the domain file's section, else the schema's defaults. */
export function pageSettings(domain: Pick<DomainConfig, 'pages'>): PageSettings {
  return domain.pages ?? PAGE_DEFAULTS;
}
