import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { zones } from './customers.js';

// Delivery staff: each has a home zone (orders there are assigned to them by default) and may log in as a user.
export const staff = pgTable(
  'staff',
  {
    id: id(),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    zone_id: uuid('zone_id'),
    user_id: uuid('user_id'),
    is_active: boolean('is_active').notNull().default(true),
    // Where their pay goes (payout batches): a bank account with its IFSC, or a UPI id.
    bank_account_number: text('bank_account_number'),
    bank_ifsc: text('bank_ifsc'),
    upi_id: text('upi_id'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'staff_zone_id_fk', columns: [t.zone_id], foreignColumns: [zones.id] }).onDelete('set null'),
    foreignKey({ name: 'staff_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('set null'),
    uniqueIndex('staff_phone_key').on(t.phone),
    uniqueIndex('staff_user_id_key').on(t.user_id),
    check('staff_phone_format', sql`${t.phone} ~ '^\\+91[6-9][0-9]{9}$'`),
    index('staff_zone_idx').on(t.zone_id),
    check(
      'staff_payout_details_valid',
      sql`(${t.bank_account_number} is null) = (${t.bank_ifsc} is null)
       and (${t.bank_account_number} is null or ${t.bank_account_number} ~ '^[0-9]{9,18}$')
       and (${t.bank_ifsc} is null or ${t.bank_ifsc} ~ '^[A-Z]{4}0[A-Z0-9]{6}$')
       and (${t.upi_id} is null or ${t.upi_id} ~ '^[a-zA-Z0-9._-]{2,200}@[a-zA-Z][a-zA-Z0-9]{1,63}$')`,
    ),
  ],
);
