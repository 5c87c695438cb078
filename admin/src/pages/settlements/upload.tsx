import { InboxOutlined } from '@ant-design/icons';
import { type HttpError, useCan, useCustomMutation, useGo, useInvalidate } from '@refinedev/core';
import { Alert, Button, Card, Descriptions, Popconfirm, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { mono, type SettlementPreview, VerdictTag } from './shared';

type PreviewLine = SettlementPreview['lines'][number];
/** The API takes files up to 10 MB; refused here before sending a larger one. */
const MAX_BYTES = 10 * 1024 * 1024;

/**
 * Upload a settlement CSV: it is read in the browser, sent as a dry run (nothing stored) and previewed line by line
 * with the totals; "Apply" (confirmed) records it. The same file again says it was uploaded and changes nothing.
 */
export function SettlementUpload() {
  const { data: can } = useCan({ resource: 'settlements', action: 'create' });
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [preview, setPreview] = useState<SettlementPreview | null>(null);
  const [tooBig, setTooBig] = useState<string | null>(null);
  const { mutateAsync, mutation } = useCustomMutation<SettlementPreview>();
  const invalidate = useInvalidate();
  const go = useGo();
  if (!can?.can) return null;

  const send = async (f: { name: string; content: string }, dryRun: boolean) => {
    const { data } = await mutateAsync({
      url: '/settlements',
      method: 'post',
      values: { file_name: f.name, content: f.content, dry_run: dryRun },
      successNotification: dryRun ? false : (d) => ({ type: 'success', message: 'Settlement file applied', description: `${(d?.data as SettlementPreview | undefined)?.totals.matched ?? 0} payments matched.` }),
      errorNotification: (error?: HttpError) => ({ type: 'error', message: error?.message ?? 'The server did not answer.', description: dryRun ? 'Could not read the file' : 'Could not apply the file' }),
    });
    return data;
  };
  const choose = async (f: File) => {
    setPreview(null);
    setTooBig(null);
    if (f.size > MAX_BYTES) {
      setTooBig(`${f.name} is ${(f.size / 1024 / 1024).toFixed(1)} MB; a settlement file is at most 10 MB: split it.`);
      return false;
    }
    const next = { name: f.name, content: await f.text() };
    setFile(next);
    try {
      setPreview(await send(next, true));
    } catch {
      setFile(null);
    }
    return false;
  };
  const apply = async () => {
    if (!file) return;
    try {
      const result = await send(file, false);
      await Promise.all([invalidate({ resource: 'settlements', invalidates: ['list'] }), invalidate({ resource: 'gateway-payments', invalidates: ['list'] })]);
      setPreview(null);
      setFile(null);
      if (result.upload_id) go({ to: `/settlements/show/${result.upload_id}` });
    } catch {
      /* the notification says why */
    }
  };
  const t = preview?.totals;
  return (
    <Card size="small" title="Upload a settlement file" style={{ marginBottom: 16 }}>
      <Upload.Dragger accept=".csv,text/csv" multiple={false} showUploadList={false} beforeUpload={(f) => choose(f)} disabled={mutation.isPending} data-testid="settlement-file">
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">Drop the Razorpay settlement CSV here, or click to choose it</p>
        <p className="ant-upload-hint">Columns settlement_id, utr, payment_id, amount, fee, tax, settled_at (amounts in rupees). Nothing is stored until you apply it.</p>
      </Upload.Dragger>
      {tooBig && <Alert type="error" showIcon style={{ marginTop: 12 }} message={tooBig} />}
      {preview && t && (
        <Space direction="vertical" size="middle" style={{ width: '100%', marginTop: 16 }} data-testid="settlement-preview">
          {preview.already_uploaded && <Alert type="info" showIcon message={`${preview.file_name}: this file was uploaded before. Applying it again changes nothing.`} />}
          {preview.problems.length > 0 && (
            <Alert
              type="error"
              showIcon
              message={`${preview.problems.length} line${preview.problems.length === 1 ? '' : 's'} cannot be read: fix the file before applying it`}
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {preview.problems.slice(0, 10).map((p) => (
                    <li key={p.line_no}>
                      line {p.line_no}: {p.message}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
          <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 4 }} title={`Dry run of ${preview.file_name}`}>
            <Descriptions.Item label="Lines">{t.lines}</Descriptions.Item>
            <Descriptions.Item label="Matched">{t.matched}</Descriptions.Item>
            <Descriptions.Item label="Exceptions">{t.exceptions}</Descriptions.Item>
            <Descriptions.Item label="Already recorded">{t.skipped}</Descriptions.Item>
            <Descriptions.Item label="Settled">
              <Money paise={t.amount_paise} strong />
            </Descriptions.Item>
            <Descriptions.Item label="Fees">
              <Money paise={t.fee_paise} />
            </Descriptions.Item>
            <Descriptions.Item label="Tax on fees">
              <Money paise={t.tax_paise} />
            </Descriptions.Item>
          </Descriptions>
          <Table<PreviewLine> dataSource={preview.lines} rowKey="line_no" size="small" pagination={{ pageSize: 10, hideOnSinglePage: true }} scroll={{ x: 'max-content' }}>
            <Table.Column<PreviewLine> dataIndex="line_no" title="Line" />
            <Table.Column<PreviewLine> dataIndex="verdict" title="Verdict" render={(v: string) => <VerdictTag verdict={v} />} />
            <Table.Column<PreviewLine> dataIndex="payment_ref" title="Payment" render={(v: string) => <span style={mono}>{v}</span>} />
            <Table.Column<PreviewLine> dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} />} />
            <Table.Column<PreviewLine> dataIndex="utr" title="UTR" render={(v: string) => <span style={mono}>{v}</span>} />
            <Table.Column<PreviewLine> dataIndex="settled_at" title="Settled" render={(v: string) => <DateTime value={v} />} />
            <Table.Column<PreviewLine> dataIndex="detail" title="Detail" />
          </Table>
          {preview.lines.length < t.lines && <Typography.Text type="secondary">The first {preview.lines.length} of {t.lines} lines; applying records them all.</Typography.Text>}
          <Space wrap>
            <Popconfirm
              title="Apply this settlement file?"
              description={`${t.matched} payments get their UTR; ${t.exceptions} lines go to the exceptions queue.`}
              okText="Apply"
              onConfirm={() => void apply()}
              disabled={preview.problems.length > 0 || Boolean(preview.already_uploaded)}
            >
              <Button type="primary" loading={mutation.isPending} disabled={preview.problems.length > 0 || Boolean(preview.already_uploaded)}>
                Apply file
              </Button>
            </Popconfirm>
            <Button
              onClick={() => {
                setPreview(null);
                setFile(null);
              }}
            >
              Cancel
            </Button>
          </Space>
        </Space>
      )}
    </Card>
  );
}
