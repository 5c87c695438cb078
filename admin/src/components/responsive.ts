import { Grid } from 'antd';
import type { TableProps } from 'antd';

/** Below antd's `md` breakpoint (768 px): the phone layout. False until the breakpoints are known. */
export function usePhone(): boolean {
  return Grid.useBreakpoint().md === false;
}

/**
 * How a list's table behaves on a phone: it scrolls sideways inside the page, and its last column (the row's actions:
 * Confirm, Approve, Show ...) stays pinned to the right edge, so the actions are always on screen. Spread `table` on the
 * <Table> and `actions` on the actions column (and `key` on a first column that names the row, to pin it left too); on
 * wider screens all are empty and the table looks as before.
 */
export function usePhoneTable() {
  const phone = usePhone();
  return {
    table: (phone ? { scroll: { x: 'max-content' } } : {}) satisfies Partial<TableProps>,
    // No fixed width on a phone: a column of width 1 ("as narrow as its buttons" on a wide screen) pinned to the right
    // would wrap its title letter by letter. Spread it after the column's own width.
    actions: phone ? { fixed: 'right' as const, width: undefined } : {},
    key: phone ? { fixed: 'left' as const } : {},
    phone,
  };
}
