import { sql } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { monthBounds } from '../../lib/dates.js';
import { rowsOf } from '../../lib/sql.js';

/**
 * GST unit quantity codes (the portal's UQC list) for the product units. A product's quantity is counted in its own
 * unit (a packet of 500 ml is one PAC), so the HSN summary's quantity is the invoice lines' quantity as billed.
 */
export const UQC: Record<string, string> = { packet: 'PAC', litre: 'LTR', ml: 'MLT', kg: 'KGS', g: 'GMS', piece: 'NOS', dozen: 'DOZ', bottle: 'BTL' };
const uqcCase = sql.raw(`case l.unit ${Object.entries(UQC).map(([unit, code]) => `when '${unit}' then '${code}'`).join(' ')} else 'OTH' end`);

export interface HsnRow {
  hsn: string;
  description: string;
  uqc: string;
  rate_bp: number;
  quantity: number;
  taxable_paise: number;
  igst_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
}
export interface B2csRow {
  type: 'OE';
  place_of_supply: string;
  rate_bp: number;
  taxable_paise: number;
  igst_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
}
export interface ExemptRow {
  description: string;
  nil_rated_paise: number;
  exempt_paise: number;
  non_gst_paise: number;
}
export interface DocumentRow {
  nature: string;
  series: string;
  from: string;
  to: string;
  total: number;
  cancelled: number;
  net_issued: number;
}
export interface CreditNoteRow {
  hsn: string;
  rate_bp: number;
  notes: number;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
}
export interface GstReport {
  month: string;
  from: string;
  to: string;
  /** GSTR-1 table 12: issued invoices' lines less the month's credit notes, by HSN, rate and UQC; exempt HSNs at rate 0 with no tax. */
  hsn: HsnRow[];
  /** GSTR-1 table 7: taxable supplies to unregistered persons by rate and place of supply. */
  b2cs: B2csRow[];
  /** GSTR-1 table 8: nil-rated, exempt and non-GST supplies. */
  exempt: ExemptRow[];
  /** GSTR-1 table 13: per series, the first and last number of the month, how many issued and voided. */
  documents: DocumentRow[];
  /** Credit notes dated in the month by HSN and rate: already netted off tables 7, 8 and 12 above; shown for the record. */
  credit_notes: CreditNoteRow[];
}

// Sums are bigint in SQL (a month of a large business passes 2^31 paise) and read back as numbers (< 2^53).
const n = (v: unknown) => Number(v ?? 0);

/**
 * The month's GST figures for GSTR-1, each table one aggregate over the invoices dated in the month (invoice_date,
 * the tax point of a supply to a consumer). Void invoices carry no supply: they appear only as cancelled documents.
 * Amounts are the invoice lines' own less the credit note lines' own (never recomputed), so every table ties out to
 * the invoices and credit notes to the paisa.
 * Every customer is unregistered (no GSTIN is kept) and every supply is within the supplier's state: IGST is zero.
 */
export async function gstReport(ctx: Ctx, month: string): Promise<GstReport> {
  const { start, end } = monthBounds(month);
  const issued = sql`i.invoice_date between ${start}::date and ${end}::date and i.status = 'issued'`;
  // What tables 7, 8 and 12 report: the month's issued invoice lines, less the lines of the credit notes dated in the
  // month (whatever the month of the invoice they cite: a B2C small supply's note is netted off the return of the month
  // it is issued in, as GSTR-1 has no CDNUR section for B2CS). A note reverses value and tax, not quantity: its lines
  // count 0 towards the HSN quantity. The place of supply is the cited invoice's.
  const netLines = sql`
    select l.hsn_code, l.description, l.unit, l.gst_rate_bp, i.place_of_supply, l.quantity::bigint as quantity, l.taxable_paise::bigint as taxable_paise,
           l.cgst_paise::bigint as cgst_paise, l.sgst_paise::bigint as sgst_paise, l.total_paise::bigint as total_paise
    from invoices i join invoice_lines l on l.invoice_id = i.id
    where ${issued}
    union all
    select cl.hsn_code, cl.description, cl.unit, cl.gst_rate_bp, ci.place_of_supply, 0, -cl.taxable_paise, -cl.cgst_paise, -cl.sgst_paise, -cl.total_paise
    from credit_notes c join credit_note_lines cl on cl.credit_note_id = c.id join invoices ci on ci.id = c.invoice_id
    where c.note_date between ${start}::date and ${end}::date`;
  const [hsn, b2cs, exempt, documents, creditNotes] = await Promise.all([
    ctx.db.execute(sql`
      with l as (${netLines})
      select l.hsn_code as hsn, string_agg(distinct l.description, ', ') as description, ${uqcCase} as uqc, l.gst_rate_bp as rate_bp,
             sum(l.quantity)::bigint as quantity, sum(l.taxable_paise)::bigint as taxable_paise, sum(l.cgst_paise)::bigint as cgst_paise,
             sum(l.sgst_paise)::bigint as sgst_paise, sum(l.total_paise)::bigint as total_paise
      from l
      group by l.hsn_code, l.gst_rate_bp, 3
      order by l.hsn_code, l.gst_rate_bp, 3`),
    ctx.db.execute(sql`
      with l as (${netLines})
      select l.place_of_supply, l.gst_rate_bp as rate_bp, sum(l.taxable_paise)::bigint as taxable_paise,
             sum(l.cgst_paise)::bigint as cgst_paise, sum(l.sgst_paise)::bigint as sgst_paise, sum(l.total_paise)::bigint as total_paise
      from l
      where l.gst_rate_bp > 0
      group by l.place_of_supply, l.gst_rate_bp
      order by l.place_of_supply, l.gst_rate_bp`),
    ctx.db.execute(sql`
      with l as (${netLines})
      select coalesce(sum(l.taxable_paise), 0)::bigint as exempt_paise from l where l.gst_rate_bp = 0`),
    ctx.db.execute(sql`
      select 'Invoices for outward supply' as nature, i.series || '/' || i.financial_year as series, min(i.number) as "from", max(i.number) as "to",
             count(*)::int as total, (count(*) filter (where i.status = 'void'))::int as cancelled
      from invoices i
      where i.invoice_date between ${start}::date and ${end}::date
      group by i.series, i.financial_year
      union all
      select 'Credit note', 'CN/' || c.financial_year, min(c.number), max(c.number), count(*)::int, 0
      from credit_notes c
      where c.note_date between ${start}::date and ${end}::date
      group by c.financial_year
      order by 1 desc, 2`),
    ctx.db.execute(sql`
      select l.hsn_code as hsn, l.gst_rate_bp as rate_bp, count(distinct c.id)::int as notes, sum(l.taxable_paise)::bigint as taxable_paise,
             sum(l.cgst_paise)::bigint as cgst_paise, sum(l.sgst_paise)::bigint as sgst_paise, sum(l.total_paise)::bigint as total_paise
      from credit_notes c join credit_note_lines l on l.credit_note_id = c.id
      where c.note_date between ${start}::date and ${end}::date
      group by l.hsn_code, l.gst_rate_bp
      order by l.hsn_code, l.gst_rate_bp`),
  ]);

  return {
    month,
    from: start,
    to: end,
    hsn: rowsOf<Record<string, unknown>>(hsn).map((r) => ({
      hsn: String(r.hsn),
      description: String(r.description),
      uqc: String(r.uqc),
      rate_bp: n(r.rate_bp),
      quantity: n(r.quantity),
      taxable_paise: n(r.taxable_paise),
      igst_paise: 0,
      cgst_paise: n(r.cgst_paise),
      sgst_paise: n(r.sgst_paise),
      total_paise: n(r.total_paise),
    })),
    b2cs: rowsOf<Record<string, unknown>>(b2cs).map((r) => ({
      type: 'OE' as const,
      place_of_supply: String(r.place_of_supply),
      rate_bp: n(r.rate_bp),
      taxable_paise: n(r.taxable_paise),
      igst_paise: 0,
      cgst_paise: n(r.cgst_paise),
      sgst_paise: n(r.sgst_paise),
      total_paise: n(r.total_paise),
    })),
    // Fresh milk, curd, eggs and bread are exempt (Notification 2/2017-CT (Rate)): every 0% line is an exempt supply.
    exempt: [{ description: 'Intra-state supplies to unregistered persons', nil_rated_paise: 0, exempt_paise: n(rowsOf<Record<string, unknown>>(exempt)[0]?.exempt_paise), non_gst_paise: 0 }],
    documents: rowsOf<Record<string, unknown>>(documents).map((r) => ({
      nature: String(r.nature),
      series: String(r.series),
      from: String(r.from),
      to: String(r.to),
      total: n(r.total),
      cancelled: n(r.cancelled),
      net_issued: n(r.total) - n(r.cancelled),
    })),
    credit_notes: rowsOf<Record<string, unknown>>(creditNotes).map((r) => ({
      hsn: String(r.hsn),
      rate_bp: n(r.rate_bp),
      notes: n(r.notes),
      taxable_paise: n(r.taxable_paise),
      cgst_paise: n(r.cgst_paise),
      sgst_paise: n(r.sgst_paise),
      total_paise: n(r.total_paise),
    })),
  };
}
