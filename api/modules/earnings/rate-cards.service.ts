import { and, eq, getTableColumns, isNull, lt, sql } from 'drizzle-orm';
import { rateCards, zones } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { COUNT_CAP, getRow, type Resource, type Row } from '../../lib/crud.js';
import { addDays } from '../../lib/dates.js';
import type { RateCardCreate, RateCardUpdate } from './earnings.schemas.js';

const zoneName = sql<string | null>`(select ${zones.name} from ${zones} where ${zones.id} = ${rateCards.zone_id})`;
// How many lines were earned at the card: a used card keeps its rates (rate_cards_frozen_once_used). Counted up to
// RATE_CARD_LINES_CAP + 1 through the card's index: a zone's card earns about 170,000 lines a month at 50,000
// customers, and counting them all on every visit of the list would take seconds; more than the cap reads "10,000+".
export const RATE_CARD_LINES_CAP = COUNT_CAP;
const lineCount = sql<number>`(select count(*)::int from (select 1 from earnings_lines e where e.rate_card_id = ${rateCards.id} limit ${RATE_CARD_LINES_CAP + 1}) as l)`;
export const rateCardColumns = { zone_name: zoneName };

export const rateCardResource: Resource = {
  name: 'rate-cards',
  label: 'Rate card',
  table: rateCards,
  selection: { ...getTableColumns(rateCards), zone_name: zoneName.as('zone_name'), lines: lineCount.as('lines') },
};

/**
 * A new card for a zone from a day. The zone's open-ended card that started earlier is closed the day before, in the
 * same transaction (a card that earned lines after that day refuses: rate_cards_frozen_once_used); any other overlap
 * is the exclusion constraint's 409. The zone's cards are locked first, so two new cards at once queue.
 */
export async function createRateCard(ctx: Ctx, input: RateCardCreate): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const sameZone = input.zone_id ? eq(rateCards.zone_id, input.zone_id) : isNull(rateCards.zone_id);
    await tx.db.select({ id: rateCards.id }).from(rateCards).where(sameZone).for('update');
    const [open] = await tx.db
      .select()
      .from(rateCards)
      .where(and(sameZone, isNull(rateCards.effective_to), lt(rateCards.effective_from, input.effective_from)));
    if (open) {
      const before = await getRow(tx, rateCardResource, open.id);
      await tx.db.update(rateCards).set({ effective_to: addDays(input.effective_from, -1) }).where(eq(rateCards.id, open.id));
      await audit(tx, { action: 'update', table: 'rate-cards', recordId: open.id, before, after: await getRow(tx, rateCardResource, open.id) });
    }
    const [inserted] = await tx.db
      .insert(rateCards)
      .values({ ...input, created_by: tx.actor?.id ?? null })
      .returning({ id: rateCards.id });
    const row = await getRow(tx, rateCardResource, inserted.id);
    await audit(tx, { action: 'create', table: 'rate-cards', recordId: inserted.id, after: row });
    return row;
  });
}

export async function updateRateCard(ctx: Ctx, id: string, input: RateCardUpdate): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, rateCardResource, id, { lock: true });
    if (Object.keys(input).length === 0) return before;
    await tx.db.update(rateCards).set(input).where(eq(rateCards.id, id));
    const after = await getRow(tx, rateCardResource, id);
    await audit(tx, { action: 'update', table: 'rate-cards', recordId: id, before, after });
    return after;
  });
}
