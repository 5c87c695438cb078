import { DownloadOutlined } from '@ant-design/icons';
import { useCan } from '@refinedev/core';
import { Button, Space } from 'antd';

/** Files of a report: CSV and XLSX links (the browser downloads them with the session cookie), for a role with export. */
export function FileButtons({ path, query }: { path: string; query: Record<string, string> }) {
  const { data } = useCan({ resource: 'reports', action: 'export' });
  if (!data?.can) return null;
  return (
    <Space>
      {(['csv', 'xlsx'] as const).map((f) => (
        <Button key={f} icon={<DownloadOutlined />} href={`/api/reports/${path}?${new URLSearchParams({ ...query, format: f })}`} download data-testid={`download-${f}`}>
          {f.toUpperCase()}
        </Button>
      ))}
    </Space>
  );
}

