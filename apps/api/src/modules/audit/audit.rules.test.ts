import { describe, expect, it } from 'vitest';
import {
  addDays,
  anchorMessage,
  canonicalAuditText,
  chainHash,
  containsFullIdNumber,
  GENESIS_HASH,
  isCivilDate,
  maskIdNumbersInText,
  REDACTED,
  scrubAuditValue,
  type CanonicalAuditEvent,
} from './audit.rules.js';
import { AUDIT_ACTIONS, describeAuditAction, isAuditAction } from './audit.catalog.js';

const ID = '41140219900307123X';

describe('maskIdNumbersInText', () => {
  it('keeps the region code and the last four and stars the birth date', () => {
    expect(maskIdNumbersInText(ID)).toBe('411402********123X');
    expect(maskIdNumbersInText(`身份证 ${ID}，电话 13812341234`)).toBe(
      '身份证 411402********123X，电话 13812341234',
    );
  });

  it('masks a lowercase x, an all-digit number, and several numbers in one text', () => {
    expect(maskIdNumbersInText('41140219900307123x')).toBe('411402********123X');
    expect(maskIdNumbersInText('411402199003071234;411402199003075678')).toBe(
      '411402********1234;411402********5678',
    );
  });

  it('masks numbers typed with spaces or in full-width digits', () => {
    expect(maskIdNumbersInText('411402 19900307 123X')).toBe('411402********123X');
    expect(maskIdNumbersInText('号码：４１１４０２１９９００３０７１２３Ｘ')).toBe(
      '号码:411402********123X',
    );
  });

  it('leaves longer digit runs, phones and short numbers alone', () => {
    const card = '6222021234567890123';
    expect(maskIdNumbersInText(card)).toBe(card);
  });

  it('leaves record ids alone, even when their digits look like a hyphenated ID number', () => {
    // 18 digits split by hyphens, then a hex letter: the shape of a hyphenated ID number.
    const id = '01936412-3456-7890-81ab-cdef01234567';
    expect(maskIdNumbersInText(id)).toBe(id);
    expect(maskIdNumbersInText(`class ${id}, holder 41140219900307123X`)).toBe(
      `class ${id}, holder 411402********123X`,
    );
    expect(maskIdNumbersInText('13812341234 13812341235')).toBe('13812341234 13812341235');
    expect(maskIdNumbersInText('amount 1234567 fen')).toBe('amount 1234567 fen');
  });
});

describe('scrubAuditValue', () => {
  it('masks ID numbers in nested strings, keys and numbers', () => {
    const scrubbed = scrubAuditValue({
      idNumber: ID,
      people: [{ note: `card ${ID}` }, Number('411402199003071234')],
      byId: { [ID]: true },
    });
    expect(scrubbed).toEqual({
      idNumber: '411402********123X',
      people: [{ note: 'card 411402********123X' }, '411402********1200'],
      byId: { '411402********123X': true },
    });
    expect(containsFullIdNumber(JSON.stringify(scrubbed))).toBe(false);
  });

  it('redacts credential-named keys but keeps booleans and nulls under them', () => {
    expect(
      scrubAuditValue({
        password: 'hunter2',
        new_password: 'x',
        passwordHash: 'scrypt$...',
        accessToken: 'abc',
        clientSecret: { nested: 1 },
        mustChangePassword: true,
        token: null,
        username: 'li',
      }),
    ).toEqual({
      password: REDACTED,
      new_password: REDACTED,
      passwordHash: REDACTED,
      accessToken: REDACTED,
      clientSecret: REDACTED,
      mustChangePassword: true,
      token: null,
      username: 'li',
    });
  });

  it('turns values into JSON the way JSON.stringify would', () => {
    expect(
      scrubAuditValue({
        at: new Date('2025-03-01T02:00:00.123Z'),
        big: 12n,
        gone: undefined,
        fn: () => 1,
        list: [undefined, Number.NaN],
      }),
    ).toEqual({ at: '2025-03-01T02:00:00.123Z', big: '12', list: [null, null] });
    expect(scrubAuditValue(undefined)).toBeUndefined();
  });

  it('refuses a cycle instead of storing part of it', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => scrubAuditValue(a)).toThrow('cycle');
  });
});

const event: CanonicalAuditEvent = {
  id: '01950000-0000-7000-8000-000000000001',
  occurredAt: '2025-03-01T02:00:00.123000Z',
  actorUserId: null,
  actorUsername: 'admin',
  actorRole: 'city_admin',
  action: 'user.created',
  entityType: 'user',
  entityId: 'u1',
  before: null,
  after: '{"a": 1, "b": "x"}',
  outcome: 'success',
  requestId: 'req-1',
  ip: '127.0.0.1/32',
  details: null,
};

describe('chain hashing', () => {
  it('hashes a fixed text form, so an outside verifier can reproduce it', () => {
    expect(canonicalAuditText(1, event)).toBe(
      '["jineng.audit.v1",1,"01950000-0000-7000-8000-000000000001",' +
        '"2025-03-01T02:00:00.123000Z",null,"admin","city_admin","user.created","user","u1",' +
        'null,"{\\"a\\": 1, \\"b\\": \\"x\\"}","success","req-1","127.0.0.1/32",null]',
    );
    expect(chainHash(GENESIS_HASH, 1, event)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes the hash when any field, the seq or the previous hash changes', () => {
    const base = chainHash(GENESIS_HASH, 1, event);
    expect(chainHash(GENESIS_HASH, 1, { ...event })).toBe(base);
    expect(chainHash(GENESIS_HASH, 2, event)).not.toBe(base);
    expect(chainHash('1'.repeat(64), 1, event)).not.toBe(base);
    expect(chainHash(GENESIS_HASH, 1, { ...event, outcome: 'failed' })).not.toBe(base);
    expect(
      chainHash(GENESIS_HASH, 1, { ...event, occurredAt: '2025-03-01T02:00:00.123001Z' }),
    ).not.toBe(base);
  });

  it('signs a message that names the day, head and key', () => {
    const message = anchorMessage({ day: '2025-03-01', lastSeq: 7, headHash: 'ab', keyId: 'k1' });
    expect(message.toString('utf8')).toBe('jineng.audit.anchor.v1\n2025-03-01\n7\nab\nk1\n');
  });
});

describe('civil dates', () => {
  it('accepts real dates only and steps across month and year ends', () => {
    expect(isCivilDate('2024-02-29')).toBe(true);
    expect(isCivilDate('2025-02-29')).toBe(false);
    expect(isCivilDate('2025-3-1')).toBe(false);
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });
});

describe('action catalog', () => {
  it('describes every code in one line and knows which codes exist', () => {
    for (const [code, description] of Object.entries(AUDIT_ACTIONS)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/);
      expect(description).not.toContain('\n');
    }
    expect(isAuditAction('auth.login.failed')).toBe(true);
    expect(isAuditAction('toString')).toBe(false);
    expect(describeAuditAction('person.id_number.revealed')).toBe(
      'Revealed a person’s full ID number',
    );
  });
});
