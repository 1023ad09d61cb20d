// The signed-in session. The access token lives in memory only; the refresh token is kept in
// sessionStorage so a reload in the same tab stays signed in (docs/decisions/0003).

export type Session = { accessToken: string; refreshToken: string; expiresAt: number };

const KEY = 'guanxi.refresh';
let current: Session | null = null;
const listeners = new Set<() => void>();

export function getSession(): Session | null {
  return current;
}

export function setSession(next: Session | null): void {
  current = next;
  if (next) sessionStorage.setItem(KEY, next.refreshToken);
  else sessionStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

export function storedRefreshToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Seconds since the epoch at which a JWT expires, read from its payload (not verified: the server does). */
export function expiryOf(token: string): number {
  const part = token.split('.')[1];
  if (!part) return 0;
  try {
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp : 0;
  } catch {
    return 0;
  }
}

/** True when the token expires within `marginSeconds` from `now` (seconds). */
export function expiresSoon(session: Session, now: number, marginSeconds = 60): boolean {
  return session.expiresAt - marginSeconds <= now;
}
