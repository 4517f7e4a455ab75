import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt with OWASP's recommended cost (N = 2^17, r = 8, p = 1: 128 MiB, ~0.25 s here). The
 * parameters are stored with each hash (`scrypt$N$r$p$salt$hash`), so raising them later only
 * affects new hashes, and `needsRehash` tells the login path to upgrade an old one.
 */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }) {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, params = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(hash: string): ParsedHash | undefined {
  const [scheme, n, r, p, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return undefined;
  const parsed = { N: Number(n), r: Number(r), p: Number(p) };
  if (![parsed.N, parsed.r, parsed.p].every((v) => Number.isInteger(v) && v > 0)) return undefined;
  return { ...parsed, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/** Constant-time comparison; a malformed stored hash verifies as false, never throws. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parse(hash);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

export function needsRehash(hash: string, params = SCRYPT_PARAMS): boolean {
  const parsed = parse(hash);
  return !parsed || parsed.N !== params.N || parsed.r !== params.r || parsed.p !== params.p;
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the time of one verification when the username does not exist, so response timing does
 * not tell an attacker which usernames are real.
 */
export async function burnVerificationTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('jineng-timing-equaliser');
  await verifyPassword(password, await dummyHash);
}

/** A random initial password that passes the default policy (shown once, changed at login). */
export function generateInitialPassword(): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '-_.!#%'];
  const all = classes.join('');
  // One character of each class, then random ones, in a random order: 16 characters, ~95 bits.
  const chars = classes.map((set) => set[randomInt(set.length)] ?? '');
  while (chars.length < 16) chars.push(all[randomInt(all.length)] ?? '');
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}
