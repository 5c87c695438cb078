import { createRoute } from '@hono/zod-openapi';
import { walletTransactions } from '../../../db/schema/index.js';
import { created, IdParam, jsonBody, listAnswer, listSpecs, ok, optionalJsonBody, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { AmountBody, ApplyCreditResult, PaymentDetail, TopUpBody } from '../payments/payments.schemas.js';
import { topUpOnce } from '../payments/payments.service.js';
import { ExpiryResult, PromoBody, Wallet, WalletTransaction, walletEntryKinds } from './wallets.schemas.js';
import { applyCreditOnce, expireWalletLotsNow, grantPromoOnce, listWalletTransactions, walletOf } from './wallets.service.js';

const tags = ['wallets'];

export const walletTransactionListSpec: ListSpec = {
  fields: {
    id: { column: walletTransactions.id, type: 'uuid' },
    customer_id: { column: walletTransactions.customer_id, type: 'uuid' },
    lot_id: { column: walletTransactions.lot_id, type: 'uuid' },
    invoice_id: { column: walletTransactions.invoice_id, type: 'uuid' },
    kind: { column: walletTransactions.kind, type: 'enum', values: walletEntryKinds },
    amount_paise: { column: walletTransactions.amount_paise, type: 'int', sortable: 'narrowed' },
    created_at: { column: walletTransactions.created_at, type: 'timestamp', sortable: true },
  },
  narrowedBy: ['customer_id', 'lot_id', 'invoice_id'],
  defaultSort: { field: 'created_at', order: 'desc' },
};

export function mountWallets(app: Router) {
  app.openapi(
    createRoute({
      ...permit('wallets', 'show'),
      method: 'get',
      path: '/api/customers/{id}/wallet',
      tags,
      summary: "A customer's wallet: balance, what can be spent now, lots (with expiry) and the latest ledger lines",
      request: { params: IdParam },
      responses: ok(Wallet, 'The wallet'),
    }),
    async (c) => c.json(await walletOf(c.get('ctx'), c.req.valid('param').id), 200),
  );
  listSpecs.set('/api/wallet-transactions', walletTransactionListSpec);
  app.openapi(
    createRoute({ ...permit('wallets', 'list'), method: 'get', path: '/api/wallet-transactions', tags, summary: 'The wallet ledger (filter customer_id, lot_id, kind)', responses: page(WalletTransaction) }),
    async (c) => listAnswer(c, await listWalletTransactions(c.get('ctx'), await parseListQuery(new URL(c.req.url).searchParams, walletTransactionListSpec, c.get('ctx').db))),
  );
  app.openapi(
    createRoute({
      ...permit('wallets', 'top-up'),
      method: 'post',
      path: '/api/customers/{id}/wallet/top-up',
      tags,
      summary: 'Money received in advance: a payment whose whole amount becomes wallet credit (never expires). Honours Idempotency-Key.',
      request: { params: IdParam, ...jsonBody(TopUpBody) },
      responses: created(PaymentDetail, 'The payment and its lot'),
    }),
    async (c) => {
      const answer = await topUpOnce(c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 201);
    },
  );
  app.openapi(
    createRoute({
      ...permit('wallets', 'promo'),
      method: 'post',
      path: '/api/customers/{id}/wallet/promo',
      tags,
      summary: 'Promotional credit: a lot that expires (30 days by default). Honours Idempotency-Key.',
      request: { params: IdParam, ...jsonBody(PromoBody) },
      responses: created(Wallet, 'The wallet with the new lot'),
    }),
    async (c) => {
      const answer = await grantPromoOnce(c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 201);
    },
  );
  app.openapi(
    createRoute({
      ...permit('wallets', 'apply'),
      method: 'post',
      path: '/api/invoices/{id}/apply-credit',
      tags,
      summary: "Spend the customer's wallet credit on this invoice now, soonest-expiring lot first ({amount_paise} at most). Honours Idempotency-Key.",
      request: { params: IdParam, ...optionalJsonBody(AmountBody) },
      responses: ok(ApplyCreditResult, 'What was applied'),
    }),
    async (c) => {
      const answer = await applyCreditOnce(c.get('ctx'), c.req.valid('param').id, c.req.valid('json') ?? {}, c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('wallets', 'expire'),
      method: 'post',
      path: '/api/wallets/expire',
      tags,
      summary: 'Run the expiry job now (every API process also runs it every 10 minutes): lots past their expiry get an expiry line, once',
      responses: ok(ExpiryResult, 'What expired'),
    }),
    async (c) => c.json(await expireWalletLotsNow(c.get('ctx')), 200),
  );
}
