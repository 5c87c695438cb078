import { Tag } from 'antd';

// Settlement files, lines and exceptions, inferred from the API's response schemas (type-only).
export type {
  SettlementExceptionRow as SettlementException,
  SettlementLineRow as SettlementLine,
  SettlementPreview,
  SettlementUploadRow as SettlementFile,
} from '../../../../api/modules/settlements/settlements.schemas';

export const verdictLabels: Record<string, string> = {
  matched: 'matched',
  unknown_payment: 'unknown payment',
  amount_mismatch: 'amount mismatch',
  not_captured: 'not captured',
  already_recorded: 'already recorded',
  not_settled: 'not settled after 3 days',
};
const verdictColors: Record<string, string> = {
  matched: 'green',
  unknown_payment: 'red',
  amount_mismatch: 'orange',
  not_captured: 'gold',
  already_recorded: 'default',
  not_settled: 'volcano',
};
export const VerdictTag = ({ verdict }: { verdict: string }) => <Tag color={verdictColors[verdict] ?? 'default'}>{verdictLabels[verdict] ?? verdict}</Tag>;

export const lineStatusOptions = ['matched', 'unknown_payment', 'amount_mismatch', 'not_captured'].map((v) => ({ value: v, label: verdictLabels[v] }));
export const exceptionKindOptions = ['unknown_payment', 'amount_mismatch', 'not_captured', 'not_settled'].map((v) => ({ value: v, label: verdictLabels[v] }));
export const exceptionStatusOptions = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
];
export const mono = { fontFamily: 'monospace', whiteSpace: 'nowrap' as const };
