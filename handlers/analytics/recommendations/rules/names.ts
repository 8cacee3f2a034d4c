import type { DomainConfig } from '../../../../config/domain.js';

/** The names a recommendation's text uses: the domain file's (short) names, else the id. */
export const departmentName = (domain: DomainConfig, id: string) => {
  const d = domain.departments.find((x) => x.id === id);
  return d?.shortName ?? d?.name ?? id;
};
export const districtName = (domain: DomainConfig, id: string) => domain.districts.find((x) => x.id === id)?.name ?? id;
export const categoryName = (domain: DomainConfig, id: string) => domain.categories.find((x) => x.id === id)?.name ?? id;
