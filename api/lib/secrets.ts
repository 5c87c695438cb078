import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Keys derived once from APP_SECRET, one per purpose (a key never serves two). */
export interface Secrets {
  /** AES-256-GCM key of the TOTP secrets at rest. */
  totpKey: Buffer;
  /** HMAC-SHA256 key of the recovery code hashes: a leaked table without APP_SECRET cannot be checked offline. */
  recoveryKey: Buffer;
}

const derive = (appSecret: string, purpose: string) => Buffer.from(hkdfSync('sha256', appSecret, 'milkrun', purpose, 32));

export function deriveSecrets(appSecret: string): Secrets {
  return { totpKey: derive(appSecret, 'totp-secret-v1'), recoveryKey: derive(appSecret, 'recovery-code-v1') };
}

const VERSION = 'v1';

/**
 * Encrypts a user's TOTP secret as `v1.<iv>.<tag>.<ciphertext>` (base64url). The user id is the associated data, so a
 * sealed secret copied onto another user's row does not open there.
 */
export function sealTotpSecret(secrets: Secrets, userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secrets.totpKey, iv);
  cipher.setAAD(Buffer.from(userId));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The secret sealed by sealTotpSecret; throws when the value was altered, moved or sealed under another APP_SECRET. */
export function openTotpSecret(secrets: Secrets, userId: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !data) throw new Error('Not a sealed TOTP secret');
  const decipher = createDecipheriv('aes-256-gcm', secrets.totpKey, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

/** A recovery code as typed (any case, with or without dashes and spaces) reduced to its characters. */
export const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

export function recoveryCodeHash(secrets: Secrets, code: string): string {
  return createHmac('sha256', secrets.recoveryKey).update(normaliseRecoveryCode(code)).digest('hex');
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read off a printout

/** A new recovery code: 16 characters (about 79 bits) in four groups, `xxxx-xxxx-xxxx-xxxx`. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  // The modulo bias (256 = 8 x 31 + 8) costs under 0.01 bit a character: negligible against 79 bits.
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return chars.match(/.{4}/g)!.join('-');
}
