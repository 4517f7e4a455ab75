import { describe, expect, it } from 'vitest';
import { generateInitialPassword, hashPassword, needsRehash, verifyPassword } from './password.js';
import { checkPassword } from './password-policy.js';

describe('passwords', () => {
  it('hash with scrypt at OWASP cost and verify only the right password', async () => {
    const hash = await hashPassword('Kite-Lamp-93!');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('Kite-Lamp-93!', hash)).toBe(true);
    expect(await verifyPassword('Kite-Lamp-93?', hash)).toBe(false);
    expect(await verifyPassword('Kite-Lamp-93!', 'scrypt$bogus')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
    expect(needsRehash('scrypt$16384$8$1$c2FsdA$a2V5')).toBe(true);
  });

  it('generate initial passwords that pass the policy and differ every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generateInitialPassword();
      expect(password).toHaveLength(16);
      expect(checkPassword(password, 'someone')).toEqual([]);
      seen.add(password.slice(-4));
    }
    expect(seen.size).toBeGreaterThan(150);
  });
});

describe('the password policy', () => {
  it.each([
    ['Kx7-q!', ['TOO_SHORT']],
    ['alllowercase', ['TOO_FEW_CLASSES']],
    ['Password1!', ['COMMON_PASSWORD']],
    ['Zhang.San-2026', ['CONTAINS_USERNAME']],
    ['Kite-Lamp-93!', []],
  ])('judges %s', (password, problems) => {
    expect(checkPassword(password, 'zhang.san')).toEqual(problems);
  });
});
