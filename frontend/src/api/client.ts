// The typed API client (types generated from openapi.yaml). Adds the bearer token, refreshing it
// shortly before it expires; a 401 ends the session.
import i18n from 'i18next';
import createClient, { type Middleware } from 'openapi-fetch';

import { expiresSoon, expiryOf, getSession, setSession, storedRefreshToken } from '@/lib/session';

import type { paths } from './schema';

// Absolute base and a late-bound fetch, so tests can stub fetch after the client exists.
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  fetch: (request) => globalThis.fetch(request),
});

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for new tokens; one refresh at a time. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = getSession()?.refreshToken ?? storedRefreshToken();
    if (!token) return false;
    const { data, response } = await api.POST('/api/v1/auth/refresh', { body: { refresh_token: token } });
    if (!response.ok || !data) {
      setSession(null);
      return false;
    }
    setSession({ accessToken: data.access_token, refreshToken: data.refresh_token, expiresAt: expiryOf(data.access_token) });
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

const auth: Middleware = {
  async onRequest({ request }) {
    if (request.url.includes('/api/v1/auth/')) return request;
    let session = getSession();
    if (session && expiresSoon(session, Date.now() / 1000)) {
      await refreshSession();
      session = getSession();
    }
    if (session) request.headers.set('Authorization', `Bearer ${session.accessToken}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !request.url.includes('/api/v1/auth/')) setSession(null);
    return response;
  },
};

/** The server words its problems (titles, details, field messages) in the UI's language. */
const language: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', i18n.language || 'zh-CN');
    return request;
  },
};

api.use(language);
api.use(auth);

/** A client without the staff session: the public self-service page authorises each call with
 * the customer's consent link instead. */
export const publicApi = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  fetch: (request) => globalThis.fetch(request),
});

publicApi.use(language);
