import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { maskName } from '../../platform/crypto/index.js';
import {
  addressMatcher,
  buildBitstring,
  decodeStatusList,
  encodeStatusList,
  holderNameMatches,
  MIN_STATUS_LIST_BITS,
  statusBit,
} from './verification.rules.js';

describe('the revocation bitstring', () => {
  it('is 16 KB of zeros when nothing is revoked', () => {
    const bits = buildBitstring([]);
    expect(bits.length).toBe(16_384);
    expect(bits.every((b) => b === 0)).toBe(true);
  });

  it('sets bit i counting from the left-most bit of byte 0', () => {
    const bits = buildBitstring([0, 7, 8, 131_071]);
    expect(bits[0]).toBe(0b1000_0001);
    expect(bits[1]).toBe(0b1000_0000);
    expect(bits[16_383]).toBe(0b0000_0001);
    expect([0, 7, 8, 131_071].map((i) => statusBit(bits, i))).toEqual([true, true, true, true]);
    expect([1, 6, 9, 131_070].map((i) => statusBit(bits, i))).toEqual([false, false, false, false]);
  });

  it('grows by 16 KB blocks to cover the highest index handed out', () => {
    expect(buildBitstring([], MIN_STATUS_LIST_BITS - 1).length).toBe(16_384);
    expect(buildBitstring([], MIN_STATUS_LIST_BITS).length).toBe(32_768);
    const bits = buildBitstring([200_000], 200_000);
    expect(statusBit(bits, 200_000)).toBe(true);
  });

  it('refuses an index outside the list', () => {
    expect(() => buildBitstring([MIN_STATUS_LIST_BITS])).toThrow(RangeError);
    expect(() => buildBitstring([-1])).toThrow(RangeError);
  });

  it('encodes as multibase base64url (u…) of the GZIP-compressed bits, and decodes back', () => {
    const bits = buildBitstring([3, 42]);
    const encoded = encodeStatusList(bits);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    const gz = Buffer.from(encoded.slice(1), 'base64url');
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(gz).equals(bits)).toBe(true);
    expect(decodeStatusList(encoded).equals(bits)).toBe(true);
    expect(() => decodeStatusList('z123')).toThrow(/multibase/);
  });
});

describe('the holder name on public pages', () => {
  it('keeps the first and last characters of three or more', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('欧阳小明')).toBe('欧**明');
  });

  it('keeps only the surname of a two-character name', () => {
    expect(maskName('李四')).toBe('李*');
  });

  it('matches a typed name only exactly, after trimming', () => {
    expect(holderNameMatches(' 张三明 ', '张三明')).toBe(true);
    expect(holderNameMatches('张三', '张三明')).toBe(false);
    expect(holderNameMatches('张*明', '张三明')).toBe(false);
    expect(holderNameMatches('  ', '张三明')).toBe(false);
  });
});

describe('the rate-limit exemption list', () => {
  it('matches addresses and CIDR blocks, IPv4-mapped IPv6 included', () => {
    const exempt = addressMatcher(['127.0.0.1', ' 10.0.0.0/8', '2001:db8::/32', '']);
    expect(exempt('127.0.0.1')).toBe(true);
    expect(exempt('10.200.3.4')).toBe(true);
    expect(exempt('::ffff:10.1.2.3')).toBe(true);
    expect(exempt('2001:db8::1')).toBe(true);
    expect(exempt('11.0.0.1')).toBe(false);
    expect(exempt('127.0.0.2')).toBe(false);
    expect(exempt('not-an-ip')).toBe(false);
  });

  it('exempts nobody when empty', () => {
    expect(addressMatcher([])('127.0.0.1')).toBe(false);
  });

  it('refuses entries that are not addresses', () => {
    expect(() => addressMatcher(['localhost'])).toThrow(/not an IP address/);
    expect(() => addressMatcher(['10.0.0.0/33'])).toThrow(/not an IP address/);
    expect(() => addressMatcher(['10.0.0.0/8/1'])).toThrow(/not an IP address/);
  });
});
