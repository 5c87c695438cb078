import { useSelect } from '@refinedev/antd';
import { Button, Form, type FormProps, Input, Select, type SelectProps } from 'antd';
import type { ReactNode } from 'react';
import type { Zone } from '../types';

// The filter bar above every list: one inline form bound to useTable's searchFormProps. Pickers apply as soon as they
// change; search boxes (`typed`) apply on Enter or on their search button, so a query is not sent per keystroke.

type Values = Record<string, unknown>;

interface FilterBarProps<T> {
  /** useTable's `searchFormProps`. */
  form: FormProps<T>;
  /** What the bar shows on opening: the filters in the URL (a link, a reload), see `filterValue`. */
  initialValues: object;
  /** Fields typed into, applied on Enter; default the `q` search box. */
  typed?: string[];
  /** The values "Clear filters" sets: every field of the bar. */
  cleared: object;
  /** Whether any filter is on: the clear button shows only then (or, with `clearLabel`, is disabled). */
  active: boolean;
  /** A button that is always there under its own name (e.g. "Today, all"), instead of "Clear filters" when filtered. */
  clearLabel?: string;
  children: ReactNode;
}

export function FilterBar<T>({ form, initialValues, typed = ['q'], cleared, active, clearLabel, children }: FilterBarProps<T>) {
  const clear = () => {
    form.form?.setFieldsValue(cleared as never);
    form.form?.submit();
  };
  return (
    <Form<T>
      {...form}
      layout="inline"
      style={{ marginBottom: 16, rowGap: 8 }}
      initialValues={initialValues as Values}
      onValuesChange={(changed: Values) => {
        if (!typed.some((f) => f in changed)) form.form?.submit();
      }}
      data-testid="filter-bar"
    >
      {children}
      {clearLabel ? (
        <Button onClick={clear} disabled={!active}>
          {clearLabel}
        </Button>
      ) : (
        active && <Button onClick={clear}>Clear filters</Button>
      )}
    </Form>
  );
}

/** A search box of the bar, applied on Enter, on its button and when cleared. */
export function FilterSearch({ name, placeholder, width }: { name: string; placeholder: string; width: number }) {
  const form = Form.useFormInstance();
  return (
    <Form.Item name={name}>
      <Input.Search placeholder={placeholder} allowClear onSearch={() => form.submit()} style={{ width }} />
    </Form.Item>
  );
}

/** The zones as select options, by name, searched on the server; `current` keeps a chosen zone labelled. */
export function useZoneSelect(current?: string | null) {
  return useSelect<Zone>({
    resource: 'zones',
    optionLabel: 'name',
    optionValue: 'id',
    defaultValue: current ?? undefined,
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value || undefined }],
  }).selectProps;
}

/** The zone picker of filter bars and forms (customer, staff). */
export function ZoneSelect({ current, onChange, onlyIds, ...props }: SelectProps & { current?: string | null; onlyIds?: string[] | null }) {
  const all = useZoneSelect(current);
  // A user limited to own zones is offered those alone (onlyIds); null or absent: every zone.
  const zones = onlyIds ? { ...all, options: all.options?.filter((o) => onlyIds.includes(String(o.value))) } : all;
  // Both hear a change: the Form.Item around (its value) and Refine's select (which keeps the chosen label).
  return (
    <Select
      {...zones}
      {...props}
      onChange={(value, option) => {
        zones.onChange?.(value, option);
        onChange?.(value, option);
      }}
    />
  );
}
