import type { DomainConfig } from '../../config/domain.js';

export interface Route {
  department: string;
  /** Which rule decided, recorded on the case: "routing: yards+central", "category: roads", "fallback: mcu". */
  rule: string;
}

/**
 * Category (and district) → responsible department: an explicit routing rule for the pair wins,
 * then a rule for the category alone, then the category's own department; with no category the
 * case goes to the МЦУ operators.
 */
export function routeCase(domain: DomainConfig, category: string | null, district: string | null): Route {
  const mcu = domain.departments.find((d) => d.kind === 'mcu')?.id ?? 'mcu';
  if (!category) return { department: mcu, rule: 'fallback: no category' };
  const rules = domain.structuring?.routing ?? [];
  const exact = district ? rules.find((r) => r.category === category && r.district === district) : undefined;
  if (exact) return { department: exact.department, rule: `routing: ${category}+${district}` };
  const byCategory = rules.find((r) => r.category === category && !r.district);
  if (byCategory) return { department: byCategory.department, rule: `routing: ${category}` };
  const own = domain.categories.find((c) => c.id === category);
  if (own) return { department: own.department, rule: `category: ${category}` };
  return { department: mcu, rule: `fallback: unknown category ${category}` };
}
