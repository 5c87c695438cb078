import { getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useLink } from '@refinedev/core';
import { Button, Empty, Space, Table, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import type { SettlementFile } from './shared';
import { SettlementUpload } from './upload';

/** Settlement files: upload one (dry run, then apply), and the files uploaded so far, newest first. */
export function SettlementList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<SettlementFile, HttpError, { q?: string }>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q }) => [{ field: 'q', operator: 'eq', value: q?.trim() || undefined }],
  });
  const initial = { q: filterValue(filters, 'q', 'eq') };
  const phoneTable = usePhoneTable();
  return (
    <List
      title="Settlements"
      headerButtons={
        <Link to="/settlements/exceptions">
          <Button>Exceptions queue</Button>
        </Link>
      }
    >
      <SettlementUpload />
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined }} active={Boolean(initial.q)}>
        <FilterSearch name="q" placeholder="File name" width={220} />
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<SettlementFile> {...withTotal(tableProps, tableQuery.data)} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description="No settlement file uploaded yet" /> }}>
        <Table.Column<SettlementFile> dataIndex="created_at" title="Uploaded" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} />} />
        <Table.Column<SettlementFile> dataIndex="file_name" title="File" render={(v: string, r) => <Link to={`/settlements/show/${r.id}`}>{v}</Link>} />
        <Table.Column<SettlementFile> dataIndex="line_count" title="Lines" align="right" sorter defaultSortOrder={getDefaultSortOrder('line_count', sorters)} />
        <Table.Column<SettlementFile> dataIndex="matched_count" title="Matched" align="right" />
        <Table.Column<SettlementFile>
          dataIndex="exception_count"
          title="Exceptions"
          align="right"
          render={(v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : v)}
        />
        <Table.Column<SettlementFile> dataIndex="skipped_count" title="Already recorded" align="right" />
        <Table.Column<SettlementFile> dataIndex="amount_paise" title="Settled" align="right" render={(v: number) => <Money paise={v} strong />} />
        <Table.Column<SettlementFile> dataIndex="fee_paise" title="Fees" align="right" render={(v: number, r) => <Money paise={v + r.tax_paise} />} />
        <Table.Column<SettlementFile> dataIndex="uploaded_by_name" title="By" render={(v: string | null) => v ?? '—'} />
        <Table.Column<SettlementFile>
          title="Actions"
          key="actions"
          width={1}
          {...phoneTable.actions}
          render={(_, r) => (
            <Space>
              <ShowButton hideText size="small" recordItemId={r.id} />
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
