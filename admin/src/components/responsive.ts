import { Grid } from 'antd';
import type { TableProps } from 'antd';

/** Below antd's `md` breakpoint (768 px): the phone layout. False until the breakpoints are known. */
export function usePhone(): boolean {
  return Grid.useBreakpoint().md === false;
}

/**
 * How a list's table behaves on a phone: it scrolls sideways inside the page, and its last column (the row's actions:
 * Confirm, Approve, Show ...) stays pinned to the right edge, so the actions are always on screen. Spread `table` on the
 * <Table> and `actions` on the actions column; on wider screens both are empty and the table looks as before.
 */
export function usePhoneTable() {
  const phone = usePhone();
  return {
    table: (phone ? { scroll: { x: 'max-content' } } : {}) satisfies Partial<TableProps>,
    actions: phone ? { fixed: 'right' as const } : {},
  };
}
