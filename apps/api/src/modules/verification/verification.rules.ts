import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The smallest status list the W3C Bitstring Status List allows (16 KB): below it, the list's
 * length would tell an observer roughly how many certificates exist and which index is whose.
 */
export const MIN_STATUS_LIST_BITS = 131_072;

/** A certificate number as the public may type it: loose on purpose (专项 numbers are free-form). */
export const CERTIFICATE_NUMBER_PATTERN = '^[A-Za-z0-9-]{1,32}$';

/**
 * The revocation bitstring: bit `i` (counting from the left-most bit of byte 0) is 1 when the
 * certificate with status-list index `i` is revoked. Its length is the minimum, or the next
 * multiple of the minimum that covers `highestIndex`.
 */
export function buildBitstring(revokedIndexes: Iterable<number>, highestIndex = -1): Buffer {
  let bits = MIN_STATUS_LIST_BITS;
  while (bits <= highestIndex) bits += MIN_STATUS_LIST_BITS;
  const bytes = Buffer.alloc(bits / 8);
  for (const index of revokedIndexes) {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`bad status index ${index}`);
    if (index >= bytes.length * 8) throw new RangeError(`status index ${index} past the list`);
    const byte = index >> 3;
    bytes[byte] = (bytes[byte] ?? 0) | (0x80 >> (index & 7));
  }
  return bytes;
}

/** `encodedList`: multibase base64url (prefix `u`, no padding) of the GZIP-compressed bitstring. */
export function encodeStatusList(bitstring: Buffer): string {
  return `u${gzipSync(bitstring).toString('base64url')}`;
}

/** The inverse of `encodeStatusList`, as a verifier does it. */
export function decodeStatusList(encodedList: string): Buffer {
  if (!encodedList.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  return gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
}

/** Whether bit `index` of a bitstring is set. */
export function statusBit(bitstring: Buffer, index: number): boolean {
  const byte = bitstring[index >> 3];
  if (byte === undefined) throw new RangeError(`status index ${index} past the list`);
  return (byte & (0x80 >> (index & 7))) !== 0;
}

/**
 * A predicate over client addresses from a list of IPv4/IPv6 addresses and CIDR blocks
 * (`127.0.0.1, 10.0.0.0/8, ::1`). IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3`) match their
 * IPv4 entries. Throws on an entry that is neither.
 */
export function addressMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  let empty = true;
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [address = '', prefix, ...rest] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = type === 'ipv4' ? 32 : 128;
    if (
      type === null ||
      rest.length > 0 ||
      (bits !== undefined && (!Number.isInteger(bits) || bits < 0 || bits > maxBits))
    ) {
      throw new Error(`"${entry}" is not an IP address or CIDR block`);
    }
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
    empty = false;
  }
  if (empty) return () => false;
  return (raw) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw)?.[1];
    const address = mapped ?? raw;
    if (isIPv4(address)) return list.check(address, 'ipv4');
    if (isIPv6(address)) return list.check(address, 'ipv6');
    return false;
  };
}

/**
 * Whether the name a member of the public typed is the holder's: exactly, after trimming both.
 * Anything looser would let someone holding only a number fish for the name.
 */
export function holderNameMatches(typed: string, holderName: string): boolean {
  return typed.trim() !== '' && typed.trim() === holderName.trim();
}
