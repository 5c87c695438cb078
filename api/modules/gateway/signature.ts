import { createHmac, timingSafeEqual } from 'node:crypto';

// Razorpay signs each webhook: X-Razorpay-Signature is the hex HMAC-SHA256 of the raw body with the webhook's secret.
// During a rotation two secrets are live (the new one and the previous one): either may have signed an event.

/** The hex HMAC-SHA256 of a body with a secret (what Razorpay sends; tests and the benchmark sign with it too). */
export function signBody(body: Uint8Array | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Whether `signature` signs `body` with one of the secrets. Every secret is tried (no early exit on the first
 * match) and each comparison is constant-time over equal lengths, so the answer's timing says nothing of the secret.
 */
export function verifySignature(body: Uint8Array, signature: string | undefined, secrets: readonly string[]): boolean {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const given = Buffer.from(signature.toLowerCase(), 'hex');
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
