import type { TableProps } from 'antd';

const count = new Intl.NumberFormat('en-IN');

/**
 * The list's total under its pagination, as the API gives it: "about 1,48,000" when it is PostgreSQL's estimate (a big
 * list past 10,000 rows), and a note when pages stop before the end (the API serves the first 10,000 rows: narrow it).
 */
export function withTotal<T>(tableProps: TableProps<T>, result: { total?: number; reported_total?: number; estimated?: boolean } | undefined): TableProps<T> {
  const pagination = tableProps.pagination;
  if (!pagination || !result || result.reported_total === undefined) return tableProps;
  const { reported_total: reported, estimated } = result;
  const shown = result.total ?? reported;
  const label = `${estimated ? 'about ' : ''}${count.format(reported)} ${reported === 1 ? 'row' : 'rows'}`;
  const note = shown < reported ? ` (pages up to row ${count.format(shown)}: filter or search to reach the rest)` : '';
  return { ...tableProps, pagination: { ...pagination, showTotal: () => `${label}${note}` } };
}
