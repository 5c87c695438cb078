import { TOTP } from 'otpauth';

// Codes for the browser tests and screenshots, computed from the secret the page shows, as an authenticator app does.
// The API takes each 30-second step once per user (replay refused) and also the next step (clock drift), so a test
// that needs several codes takes the next unused step, waiting for the clock only when both are used.

const lastStep = new Map<string, number>();

const stepNow = () => Math.floor(Date.now() / 30_000);

/** A code of `secret` that the API has not accepted yet (by this process's reckoning); waits up to 30 s if it must. */
export async function freshCode(secret: string): Promise<string> {
  const clean = secret.replace(/\s+/g, '');
  const used = lastStep.get(clean) ?? -1;
  let step = Math.max(stepNow(), used + 1);
  if (step > stepNow() + 1) {
    await new Promise((resolve) => setTimeout(resolve, (step - 1) * 30_000 - Date.now() + 200));
    step = Math.max(stepNow(), used + 1);
  }
  lastStep.set(clean, step);
  return new TOTP({ secret: clean, algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: step * 30_000 });
}
