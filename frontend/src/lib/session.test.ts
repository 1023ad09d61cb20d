import { beforeEach, describe, expect, it } from 'vitest';

import { expiresSoon, expiryOf, getSession, setSession, storedRefreshToken, subscribe } from './session';

function jwt(payload: object): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${b64({ alg: 'EdDSA' })}.${b64(payload)}.sig`;
}

describe('session', () => {
  beforeEach(() => setSession(null));

  it('reads the expiry of an access token', () => {
    expect(expiryOf(jwt({ exp: 1_900_000_000 }))).toBe(1_900_000_000);
    expect(expiryOf('garbage')).toBe(0);
    expect(expiryOf(jwt({ exp: 'soon' }))).toBe(0);
  });

  it('refreshes a minute before expiry', () => {
    const s = { accessToken: 'a', refreshToken: 'r', expiresAt: 1000 };
    expect(expiresSoon(s, 900)).toBe(false);
    expect(expiresSoon(s, 941)).toBe(true);
  });

  it('keeps only the refresh token in storage and notifies listeners', () => {
    let calls = 0;
    const off = subscribe(() => (calls += 1));
    setSession({ accessToken: 'access', refreshToken: 'refresh', expiresAt: 1 });
    expect(storedRefreshToken()).toBe('refresh');
    expect(JSON.stringify(sessionStorage)).not.toContain('access');
    expect(getSession()?.accessToken).toBe('access');
    setSession(null);
    expect(storedRefreshToken()).toBeNull();
    expect(calls).toBe(2);
    off();
  });
});
