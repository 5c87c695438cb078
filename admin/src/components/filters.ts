import type { CrudFilter } from '@refinedev/core';

/** A list filter's value as Refine keeps it (from the URL), for the filter bar to show; any operator unless one is given. */
export function filterValue(filters: CrudFilter[], field: string, operator?: string): string | undefined {
  const f = filters.find((x) => 'field' in x && x.field === field && (operator === undefined || x.operator === operator));
  return f?.value === undefined || f.value === null ? undefined : String(f.value);
}
