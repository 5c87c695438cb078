import { DownloadOutlined } from '@ant-design/icons';
import { type CrudFilter, type CrudSort, useCan, useCustomMutation } from '@refinedev/core';
import { useNavigate } from 'react-router';
import { generateFilter, generateSort, stringify } from '@refinedev/simple-rest';
import { Button, Dropdown } from 'antd';

const formats = [
  { key: 'csv', label: 'CSV (Excel, UTF-8)' },
  { key: 'xlsx', label: 'Excel workbook (XLSX)' },
  { key: 'json', label: 'JSON' },
] as const;

/** GET /api/<resource>/export with the list's filters, search and sort as the list sends them (simple-rest). */
export function exportUrl(resource: string, format: string, filters: CrudFilter[] = [], sorters: CrudSort[] = []): string {
  const query: Record<string, unknown> = { format, ...generateFilter(filters) };
  const sort = generateSort(sorters);
  if (sort?._sort.length) {
    query._sort = sort._sort.join(',');
    query._order = sort._order.join(',');
  }
  return `/api/${resource}/export?${stringify(query)}`;
}

/**
 * "Export" on a list page: the rows on screen (every page of them, with its filters, search and sort) as CSV, XLSX or
 * JSON. Hidden from a role without `export` on the list's resource (the API refuses it too). A plain link: the browser
 * downloads the streamed file itself, with the session cookie, and the page stays where it is.
 */
export function ExportButton({ resource, permission = resource, filters, sorters }: { resource: string; permission?: string; filters?: CrudFilter[]; sorters?: CrudSort[] }) {
  const { data } = useCan({ resource: permission, action: 'export' });
  const { mutate } = useCustomMutation();
  const navigate = useNavigate();
  if (!data?.can) return null;
  // A long export (over about 100,000 rows) runs in the background: the Exports page shows its progress and the file.
  const background = (format: 'csv' | 'xlsx') => {
    const params = new URLSearchParams(exportUrl(resource, format, filters, sorters).split('?')[1] ?? '');
    params.delete('format');
    mutate(
      {
        url: '/exports',
        method: 'post',
        values: { resource, format, params: params.toString() },
        successNotification: () => ({ type: 'success', description: 'Export started', message: 'It runs in the background; the Exports page shows its progress.' }),
      },
      { onSuccess: () => navigate('/exports') },
    );
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          ...formats.map((f) => ({
            key: f.key,
            label: (
              <a href={exportUrl(resource, f.key, filters, sorters)} download data-testid={`export-${f.key}`}>
                {f.label}
              </a>
            ),
          })),
          { type: 'divider' as const },
          { key: 'bg-csv', label: <span data-testid="export-background-csv">In the background: CSV</span>, onClick: () => background('csv') },
          { key: 'bg-xlsx', label: <span data-testid="export-background-xlsx">In the background: XLSX</span>, onClick: () => background('xlsx') },
        ],
      }}
    >
      <Button icon={<DownloadOutlined />} aria-label="Export">
        Export
      </Button>
    </Dropdown>
  );
}
