import { describe, expect, it } from 'vitest';
import { apiErrorFrom, networkError } from './problem';

describe('apiErrorFrom', () => {
  it('keeps the problem details the server sent', () => {
    const error = apiErrorFrom(400, {
      type: 'https://jineng.dev/problems/validation-failed',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is invalid',
      code: 'VALIDATION_FAILED',
      errors: [{ path: '/querystring/page', message: 'must be >= 1' }],
    });
    expect(error.status).toBe(400);
    expect(error.detail).toBe('The request is invalid');
    expect(error.problem?.errors).toEqual([{ path: '/querystring/page', message: 'must be >= 1' }]);
  });

  it('reports a body that is not problem+json by status alone', () => {
    const error = apiErrorFrom(502, '<html>Bad Gateway</html>');
    expect(error.problem).toBeNull();
    expect(error.detail).toBeUndefined();
    expect(error.message).toBe('HTTP 502');
  });
});

describe('networkError', () => {
  it('has status 0 and no detail', () => {
    const error = networkError(new TypeError('Failed to fetch'));
    expect(error.status).toBe(0);
    expect(error.detail).toBeUndefined();
    expect(error.message).toBe('Failed to fetch');
  });
});

describe('retryAfterSeconds', () => {
  const locked = {
    type: 'https://jineng.dev/problems/account-locked',
    title: 'Locked',
    status: 423,
    detail: 'Too many wrong passwords',
    code: 'ACCOUNT_LOCKED',
    errors: [],
  };

  it('reads the seconds of a Retry-After header', () => {
    const error = apiErrorFrom(423, locked, new Headers({ 'Retry-After': '900' }));
    expect(error.retryAfterSeconds).toBe(900);
    expect(error.code).toBe('ACCOUNT_LOCKED');
  });

  it('is null without the header or with a date in it', () => {
    expect(apiErrorFrom(423, locked).retryAfterSeconds).toBeNull();
    const dated = new Headers({ 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' });
    expect(apiErrorFrom(423, locked, dated).retryAfterSeconds).toBeNull();
  });
});
