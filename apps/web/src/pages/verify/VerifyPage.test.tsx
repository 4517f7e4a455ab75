// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const NUMBER = 'S000041123456264000001';

const certificate = {
  number: NUMBER,
  occupationCode: '4-03-02-01',
  occupationName: '中式烹调师',
  level: '四级/中级工',
  issuer: '商丘市职业技能评价中心',
  issuedOn: '2026-03-01',
  holderNameMasked: '张*明',
};

function verifyApi(answer: (no: string, name: string) => Response): Handle {
  return ({ url }) => {
    if (url.pathname === '/api/auth/me') return problem(401, 'UNAUTHENTICATED', 'Not logged in');
    if (url.pathname === '/api/public/certificates/verify') {
      return answer(url.searchParams.get('no') ?? '', url.searchParams.get('name') ?? '');
    }
    return undefined;
  };
}

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the public certificate check', () => {
  it('asks at once when the QR link carries number and name, and shows a valid certificate', async () => {
    const sent = serve(verifyApi(() => json({ result: 'valid', certificate })));
    renderAt(`/verify?no=${NUMBER}&name=${encodeURIComponent('张三明')}`);

    expect(await screen.findByText('有效')).toBeTruthy();
    expect(screen.getByText('张*明')).toBeTruthy();
    expect(screen.getByText('商丘市职业技能评价中心')).toBeTruthy();
    expect(screen.getByText('四级/中级工')).toBeTruthy();
    expect(screen.getByText('2026-03-01')).toBeTruthy();
    expect(screen.queryByText('已撤销')).toBeNull();
    const calls = sent.filter((r) => r.path.startsWith('/api/public/certificates/verify'));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toBe(
      `/api/public/certificates/verify?no=${NUMBER}&name=${encodeURIComponent('张三明')}`,
    );
    // The form shows what was asked, for a second check.
    expect(screen.getByLabelText<HTMLInputElement>('证书编号').value).toBe(NUMBER);
  });

  it('shows a revoked certificate with the date and reason', async () => {
    serve(
      verifyApi(() =>
        json({
          result: 'revoked',
          certificate: { ...certificate, revokedOn: '2026-04-02', revocationReason: '考试舞弊' },
        }),
      ),
    );
    renderAt(`/verify?no=${NUMBER}&name=${encodeURIComponent('张三明')}`);

    expect(await screen.findByText('已撤销')).toBeTruthy();
    expect(screen.getByText('2026-04-02')).toBeTruthy();
    expect(screen.getByText('考试舞弊')).toBeTruthy();
    expect(screen.queryByText('有效')).toBeNull();
  });

  it('says not found for a number and name that do not match, after a typed query', async () => {
    const sent = serve(verifyApi(() => json({ result: 'not_found' })));
    renderAt('/verify');

    fireEvent.change(await screen.findByLabelText('证书编号'), { target: { value: NUMBER } });
    fireEvent.change(screen.getByLabelText('持证人姓名'), { target: { value: '李四' } });
    expect(sent.some((r) => r.path.startsWith('/api/public'))).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: /查\s*询/ }));

    expect(await screen.findByText('未查到')).toBeTruthy();
    expect(screen.queryByText('有效')).toBeNull();
    expect(screen.queryByText('中式烹调师')).toBeNull();
  });

  it('reports a rate limit in words, not as a result', async () => {
    serve(verifyApi(() => problem(429, 'RATE_LIMITED', 'Too many requests')));
    renderAt(`/verify?no=${NUMBER}&name=${encodeURIComponent('张三明')}`);

    expect(await screen.findByText('操作过于频繁，请稍后再试。')).toBeTruthy();
    expect(screen.queryByText('未查到')).toBeNull();
  });
});
