// Shared by the API, `npm run user:create` and the admin (bundled by Vite): imports nothing but its word list.
// The one password rule: at least 10 characters, not the email, not a common password. What "common" means is
// below: attackers try the most common passwords first, then the same with digits and symbols around them.

import { COMMON_PASSWORDS, COMMON_WORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 10;
/** Bounded: argon2 hashes whatever it is given, and a megabyte password would only cost time. */
export const PASSWORD_MAX_LENGTH = 1000;

export const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters; not the email, not a common password. A few unrelated words are easy to remember.`;

const commonPasswords = new Set(COMMON_PASSWORDS);
const commonWords = new Set(COMMON_WORDS);

// Letters written as digits or symbols ("p@ssw0rd"): 1 reads as i or l, so both spellings are tried.
const leet: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '0': 'o', $: 's', '5': 's', '7': 't', '!': 'i', '+': 't' };
const unleet = (s: string, one: 'i' | 'l') => s.replace(/[@430$57!+1]/g, (c) => (c === '1' ? one : (leet[c] ?? c)));

const rows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz'];

/** A run of neighbouring keys or letters (or digits), either way: "1234567890", "zyxwvutsrq", "qwertyuiop". */
function isRun(s: string): boolean {
  return rows.some((row) => row.includes(s) || row.split('').reverse().join('').includes(s));
}

/** The password is a short chunk repeated ("abcabcabca", "123123123123", "aaaaaaaaaa"). */
function isRepeat(s: string): boolean {
  for (let n = 1; n <= 4; n++) {
    const unit = s.slice(0, n);
    if (unit.repeat(Math.ceil(s.length / n)).slice(0, s.length) === s) return true;
  }
  return false;
}

/** Why a password is refused, or null when it is acceptable. `email` is the account's (any case). */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password needs at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `A password has at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.trim().toLowerCase();
  const mail = email.trim().toLowerCase();
  const local = mail.split('@')[0];
  if (lower === mail || lower === local || lower.replace(/[^a-z0-9]/g, '') === local.replace(/[^a-z0-9]/g, '')) {
    return 'The password must not be the email address.';
  }
  const core = lower.replace(/^[\d\W_]+/, '').replace(/[\d\W_]+$/, '');
  if (local.length >= 4 && core.replace(/[^a-z0-9]/g, '') === local.replace(/[^a-z0-9]/g, '')) {
    return 'The password must not be the email address, even with digits or symbols added.';
  }
  if (isCommon(lower, core)) return 'This password is too common: it is among the first that attackers try. Choose another, for example a few unrelated words.';
  return null;
}

/** `core` is the password without the digits and symbols around it: "Password@123", "welcome2024!", "123iloveyou". */
function isCommon(lower: string, core: string): boolean {
  if (commonPasswords.has(lower) || isRun(lower) || isRepeat(lower)) return true;
  // Only digits and symbols, short: a date, a phone number, a PIN pattern ("19/08/1995", "9876543210", "!!1234!!").
  if (core === '') return lower.length < 13;
  const spellings = new Set([core, unleet(core, 'i'), unleet(core, 'l')]);
  for (const s of spellings) {
    const letters = s.replace(/[^a-z]/g, '');
    if (commonWords.has(s) || commonPasswords.has(s) || commonWords.has(letters) || isRepeat(s) || (s.length >= 4 && isRun(s))) return true;
  }
  return false;
}
