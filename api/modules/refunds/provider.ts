// The payment gateway's side of a refund, behind one interface: approved gateway refunds are sent through it, and its
// answer comes back later as a refund.processed or refund.failed event (the Razorpay webhook calls applyRefundResult).
// Tests and the demo use the fake below; a real gateway client implements the same two members.

export interface RefundRequest {
  /** Our refund's id: the gateway's idempotency key, so sending the same refund twice refunds once. */
  refund_id: string;
  /** The gateway's id of the payment to refund (payments.reference of a gateway payment). */
  payment_reference: string;
  amount_paise: number;
}

/** A refund's outcome as the gateway reports it (the body of refund.processed / refund.failed, reduced). */
export interface RefundResult {
  provider: string;
  provider_refund_id: string;
  outcome: 'processed' | 'failed';
  /** Why it failed, in the gateway's words. */
  reason?: string;
}

/** The gateway said no at once: the refund will never happen (the refund is marked failed). */
export class RefundRefused extends Error {}

export interface RefundProvider {
  readonly name: string;
  /**
   * Asks the gateway to refund; answers with the gateway's id for it (the result arrives later, as an event). Throws
   * RefundRefused when the gateway refuses it outright; any other error leaves the refund approved, to send again.
   */
  send(request: RefundRequest): Promise<{ provider_refund_id: string }>;
}

export interface FakeRefundProvider extends RefundProvider {
  /** What was sent, in order (tests read it). */
  readonly sent: RefundRequest[];
  /** Reports a result as the gateway would, through `report` (tests call it; the demo's fake calls it by itself). */
  settle(providerRefundId: string, outcome: 'processed' | 'failed', reason?: string): Promise<void>;
}

/**
 * A gateway that accepts every refund and reports it processed `autoSettleMs` later (the demo), or only when told to
 * (tests: autoSettleMs undefined). `report` is how its events reach Milkrun: applyRefundResult, as the webhook does.
 * Its timer lives in this process: if the process stops first, the refund stays processing until an event comes, as
 * with a real gateway whose webhook is delayed.
 */
export function fakeRefundProvider(opts: { report?: (result: RefundResult) => Promise<unknown>; autoSettleMs?: number; refuse?: (r: RefundRequest) => string | null } = {}): FakeRefundProvider {
  const sent: RefundRequest[] = [];
  const provider: FakeRefundProvider = {
    name: 'fake',
    sent,
    async send(request) {
      const refused = opts.refuse?.(request);
      if (refused) throw new RefundRefused(refused);
      sent.push(request);
      // Deterministic from our id: sending the same refund again names the same gateway refund.
      const provider_refund_id = `rfnd_fake_${request.refund_id.replace(/-/g, '').slice(0, 14)}`;
      if (opts.autoSettleMs !== undefined) {
        setTimeout(() => {
          provider.settle(provider_refund_id, 'processed').catch(() => {});
        }, opts.autoSettleMs).unref?.();
      }
      return { provider_refund_id };
    },
    async settle(providerRefundId, outcome, reason) {
      await opts.report?.({ provider: 'fake', provider_refund_id: providerRefundId, outcome, reason });
    },
  };
  return provider;
}

/**
 * Production until a gateway client is written: every gateway refund is refused at once (and marked failed, its
 * money kept as the customer's wallet credit), so nothing pretends to have refunded.
 */
export const refusingRefundProvider: RefundProvider = {
  name: 'none',
  async send() {
    throw new RefundRefused('no payment gateway is configured for refunds on this server');
  },
};
