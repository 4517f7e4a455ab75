// @vitest-environment jsdom
import { cleanup, configure, fireEvent, render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Occupation, OccupationPage, Problem } from './api/types';
import { AppProviders, createQueryClient } from './AppProviders';
import { LOCALE_STORAGE_KEY } from './i18n';
import { routes } from './routes';
import { fillJsdomGaps } from './test/jsdomGaps';

const cook: Occupation = {
  code: '4-03-02-01',
  level: 4,
  levelName: 'occupation',
  name: '中式烹调师',
  isGreen: false,
  isDigital: false,
  parentCode: '4-03-02-00',
  definition: '运用刀法与烹调技法等，对原材料进行选配、加工，组合制作中式菜肴的人员。',
};

function json(body: unknown, status = 200, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

/** A stand-in for the API server: the only thing these tests replace. */
function fakeApi(url: URL): Response {
  switch (url.pathname) {
    case '/api/health':
      return json({ status: 'ok', database: { status: 'up', latencyMs: 1 }, version: '0.1.0' });
    case '/api/occupations': {
      const q = url.searchParams.get('q') ?? '';
      const items = q === '' || cook.name.includes(q) || cook.code.startsWith(q) ? [cook] : [];
      const page: OccupationPage = { items, total: items.length, page: 1, pageSize: 20 };
      return json(page);
    }
    default: {
      const problem: Problem = {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `没有 ${url.pathname} 这个接口`,
        code: 'NOT_FOUND',
        errors: [],
      };
      return json(problem, 404, 'application/problem+json');
    }
  }
}

const fetchMock = vi.fn((input: RequestInfo | URL) =>
  Promise.resolve(fakeApi(new URL(input instanceof Request ? input.url : String(input)))),
);

function renderAt(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  return render(
    <AppProviders queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
}

// The first import of a lazy page can take over the default second on a busy machine.
configure({ asyncUtilTimeout: 5_000 });

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
  fetchMock.mockClear();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('web app', () => {
  it('searches occupations from the query string and shows the matching row', async () => {
    renderAt('/occupations?q=中式烹调师');

    const row = (await screen.findByText('4-03-02-01')).closest('tr');
    expect(row).not.toBeNull();
    expect(within(row as HTMLElement).getByText('中式烹调师')).toBeTruthy();
    expect(within(row as HTMLElement).getByText('职业')).toBeTruthy();
    const searched = fetchMock.mock.calls.map(([input]) => new URL((input as Request).url));
    expect(searched).toContainEqual(
      new URL(
        `/api/occupations?q=${encodeURIComponent('中式烹调师')}&page=1&pageSize=20`,
        location.origin,
      ),
    );
  });

  it('switches the interface to English and remembers the choice', async () => {
    renderAt('/');
    expect(await screen.findByRole('link', { name: '职业目录' })).toBeTruthy();

    fireEvent.click(screen.getByText('English'));

    expect(await screen.findByRole('link', { name: 'Occupations' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: '职业目录' })).toBeNull();
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('shows the problem detail when the API refuses a request', async () => {
    renderAt('/units');

    expect(await screen.findByText('没有 /api/units 这个接口')).toBeTruthy();
  });

  it('shows a not-found page for an unknown address', async () => {
    renderAt('/no/such/page');

    expect(await screen.findByText('页面不存在')).toBeTruthy();
  });
});
