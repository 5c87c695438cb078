import { z } from '@hono/zod-openapi';
import { getTableColumns, type Column, type Table } from 'drizzle-orm';
import { MOBILE_HINT, normaliseIndianMobile } from '../../shared/phone.js';

/**
 * Response schemas derived from the drizzle tables (what drizzle-zod would give, without the dependency): one place
 * states a column's type, and the OpenAPI document and the admin's types (z.infer) follow it.
 */

/** A value as JSON carries it: timestamps arrive as ISO strings. */
type JsonOf<T> = T extends Date ? string : T;
type ColumnZod<C extends Column> = z.ZodType<JsonOf<C['_']['data']> | (C['_']['notNull'] extends true ? never : null)>;
export type TableShape<T extends Table> = { [K in keyof T['_']['columns']]: ColumnZod<T['_']['columns'][K]> };

function columnZod(column: Column): z.ZodType {
  const enumValues = (column as { enumValues?: [string, ...string[]] }).enumValues;
  let schema: z.ZodType;
  if (enumValues?.length) schema = z.enum(enumValues);
  else {
    switch (column.columnType) {
      case 'PgUUID':
        schema = z.string().openapi({ format: 'uuid' });
        break;
      case 'PgInteger':
      case 'PgSmallInt':
      case 'PgBigInt53':
        schema = z.number().int();
        break;
      case 'PgDoublePrecision':
        schema = z.number();
        break;
      case 'PgBoolean':
        schema = z.boolean();
        break;
      case 'PgTimestamp':
        schema = z.string().openapi({ format: 'date-time' });
        break;
      case 'PgDateString':
        schema = z.string().openapi({ format: 'date' });
        break;
      case 'PgTime':
        schema = z.string().openapi({ example: '05:00:00' });
        break;
      case 'PgText':
        schema = z.string();
        break;
      case 'PgJsonb':
        schema = z.unknown();
        break;
      default:
        throw new Error(`No response schema for column ${column.name} of type ${column.columnType}`);
    }
  }
  return column.notNull ? schema : schema.nullable();
}

/** The row of a table as the API returns it; `.pick`, `.omit` and `.extend` it for a resource's own selection. */
export function tableRow<T extends Table>(table: T): z.ZodObject<TableShape<T>> {
  const shape = Object.fromEntries(Object.entries(getTableColumns(table)).map(([key, column]) => [key, columnZod(column as Column)]));
  return z.object(shape) as unknown as z.ZodObject<TableShape<T>>;
}

export const Uuid = z.string().openapi({ format: 'uuid' });
export const DateOnly = z.string().openapi({ format: 'date', example: '2026-07-15' });
export const DateTime = z.string().openapi({ format: 'date-time' });
export const Paise = z.number().int().openapi({ description: 'Integer paise' });

/** An Indian mobile number in any form people write it (shared/phone.ts), stored as +91XXXXXXXXXX: customers and staff. */
export const Phone = z
  .string()
  .max(40, 'Enter a 10-digit Indian mobile number.')
  .trim()
  .transform((raw, ctx) => {
    const phone = normaliseIndianMobile(raw);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: MOBILE_HINT });
      return z.NEVER;
    }
    return phone;
  })
  .openapi({ type: 'string', example: '+919876543210' });
