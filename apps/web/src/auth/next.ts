/**
 * Where to go after logging in or changing the password. The target travels in a `next`
 * query parameter so that it survives a reload; only paths of this app are followed, never
 * another origin (`//evil.example`, `https://…`), and never the auth pages themselves.
 */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  const path = raw.split(/[?#]/, 1)[0];
  if (path === '/login' || path === '/account/password') return '/';
  return raw;
}

function withNext(page: string, next: string): string {
  const target = safeNext(next);
  return target === '/' ? page : `${page}?next=${encodeURIComponent(target)}`;
}

/** The login page, coming back to `next` afterwards. */
export function loginPath(next: string): string {
  return withNext('/login', next);
}

/** The change-password page, going on to `next` afterwards. */
export function passwordPath(next: string): string {
  return withNext('/account/password', next);
}
