import { configure, render } from '@testing-library/react';
import { flushSync } from 'react-dom';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import type { Problem } from '../api/types';
import { AppProviders, createQueryClient } from '../AppProviders';
import { routes } from '../routes';

// Pages are lazy modules; the first import of one (antd forms and all) can take over the default
// second on a busy machine.
configure({ asyncUtilTimeout: 5_000 });

/**
 * A stand-in for the API server, the only thing component tests replace: `fetch` is stubbed
 * and each request goes to `handle`; a request it does not answer gets a 404 problem.
 */
export type Handle = (request: { method: string; url: URL; body: unknown }) => Response | undefined;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function problem(
  status: number,
  code: string,
  detail: string,
  errors: Problem['errors'] = [],
  headers: Record<string, string> = {},
): Response {
  const body: Problem = { type: 'about:blank', title: 'Error', status, detail, code, errors };
  return json(body, status, { ...headers, 'content-type': 'application/problem+json' });
}

export interface Sent {
  method: string;
  path: string;
  body: unknown;
}

/** Installs the fake server; returns the list of requests it received, in order. */
export function serve(handle: Handle): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const request = input instanceof Request ? input : new Request(String(input));
      const url = new URL(request.url);
      const text = await request.text();
      const body: unknown = text ? JSON.parse(text) : undefined;
      sent.push({ method: request.method, path: `${url.pathname}${url.search}`, body });
      return (
        handle({ method: request.method, url, body }) ??
        problem(404, 'ROUTE_NOT_FOUND', `No ${request.method} ${url.pathname}`)
      );
    }),
  );
  return sent;
}

/** Renders the whole app (layout, routes, providers) at `path`. */
export function renderAt(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const view = render(
    <AppProviders queryClient={createQueryClient()} initialLocale="zh-CN">
      <RouterProvider router={router} flushSync={(update) => void flushSync(update)} />
    </AppProviders>,
  );
  return { ...view, router };
}
