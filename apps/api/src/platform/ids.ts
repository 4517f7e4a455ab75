import { randomFillSync } from 'node:crypto';

/*
 * UUIDv7 (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, then 74 bits that are random
 * except for a counter. Keys made this way sort by creation time, so B-tree inserts stay at the
 * right edge of the index instead of scattering like v4 keys.
 *
 * Monotonicity (RFC 9562 §6.2, method 1): a 42-bit counter occupies rand_a (12 bits) and the top
 * 30 bits of rand_b. It is seeded randomly each new millisecond with its top bit clear, so at
 * least 2^41 ids fit in one millisecond before it would overflow; if it ever does, or the system
 * clock steps back, the timestamp is advanced by hand so ids from one process never go backwards.
 * The last 32 bits stay random, so ids from different processes do not collide.
 */

const COUNTER_BITS = 42;
const COUNTER_MAX = 2 ** COUNTER_BITS - 1;
const SEED_LIMIT = 2 ** (COUNTER_BITS - 1);

// Filling a block of random bytes at a time keeps the per-id cost low for bulk imports.
const POOL_SIZE = 10 * 256;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

let lastMs = -1;
let counter = 0;

function randomBytes(length: number): Buffer {
  if (poolOffset + length > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  return bytes;
}

/** A random 41-bit counter seed (top bit of the 42-bit counter clear, leaving room to count). */
function seedCounter(): number {
  const bytes = randomBytes(6);
  return bytes.readUIntBE(0, 6) % SEED_LIMIT;
}

/**
 * A new RFC 9562 UUIDv7 as a lowercase hyphenated string. Ids made by one process are strictly
 * increasing (also within a millisecond, and when the clock steps back), so they sort in the
 * order they were made.
 */
export function uuidv7(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = seedCounter();
  } else {
    counter += 1;
    if (counter > COUNTER_MAX) {
      lastMs += 1;
      counter = seedCounter();
    }
  }

  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  // 42-bit counter split over bytes 6–11 around the version and variant bits. Numbers above 2^32
  // cannot go through JavaScript's 32-bit bitwise operators, hence the division.
  const high = Math.floor(counter / 2 ** 24); // top 18 bits
  const low = counter % 2 ** 24; // bottom 24 bits
  bytes[6] = 0x70 | ((high >>> 14) & 0x0f);
  bytes[7] = (high >>> 6) & 0xff;
  bytes[8] = 0x80 | (high & 0x3f);
  bytes.writeUIntBE(low, 9, 3);
  randomBytes(4).copy(bytes, 12);

  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The creation instant encoded in a UUIDv7 (millisecond precision). */
export function uuidv7Timestamp(id: string): Date {
  return new Date(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16));
}
