import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import { PRIVATE_KEYS, queries } from '../api/queries';
import type { ChangePasswordBody, LoginBody, Me } from '../api/types';

/**
 * The session as the interface knows it: the `me` query. The session itself is the HttpOnly
 * cookie set by the server; the interface only ever learns who is logged in from
 * GET /api/auth/me (401 → `null`).
 */
export const useMe = () => useQuery(queries.me());

const ME_KEY = queries.me().queryKey;

/**
 * The logged-in account, for pages that only render under `RequireAuth` (which waits for `me`
 * and sends visitors to the login page); anywhere else it is a programming error.
 */
export function useAccount(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useAccount is for pages behind <RequireAuth>');
  return data;
}

/** Records who is logged in now, dropping everything the previous account could see. */
export function setSession(client: QueryClient, me: Me | null): void {
  for (const key of PRIVATE_KEYS) client.removeQueries({ queryKey: [key] });
  client.setQueryData(ME_KEY, me);
}

/**
 * What to do when any request fails: a 401 means the session ended (expired, revoked, account
 * disabled), so the interface forgets the account and the route guard asks for a login; a 403
 * PASSWORD_CHANGE_REQUIRED means `me` is out of date.
 */
export function onRequestError(client: QueryClient, error: unknown): void {
  if (!(error instanceof ApiError)) return;
  if (error.status === 401 && error.code !== 'INVALID_CREDENTIALS') {
    if (client.getQueryData(ME_KEY)) setSession(client, null);
  } else if (error.code === 'PASSWORD_CHANGE_REQUIRED') {
    void client.invalidateQueries({ queryKey: ME_KEY });
  }
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api.auth.login(body),
    onSuccess: (result) => setSession(client, result.user),
  });
}

/** Logs out; `beforeForget` runs first (e.g. to leave a page that needs the session). */
export function useLogout(beforeForget?: () => void | Promise<void>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.auth.logout();
      } catch (error) {
        // Already logged out (expired, revoked): the outcome the user asked for.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: async () => {
      await beforeForget?.();
      setSession(client, null);
    },
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => api.auth.changePassword(body),
    onSuccess: () => {
      client.setQueryData(ME_KEY, (me) => (me ? { ...me, mustChangePassword: false } : me));
      void client.invalidateQueries({ queryKey: ME_KEY });
    },
  });
}
