/**
 * Who is signed in: a bearer token kept in sessionStorage (gone when the tab closes), and the
 * claims read from its payload. The payload is decoded, not verified: the server verifies every
 * request; the claims here only choose which pages and links to offer.
 */

const STORAGE_KEY = 'commissions.dashboard.token';

export type Role = 'admin' | 'sales-ops' | 'finance' | 'manager' | 'rep' | 'compliance' | 'service';

export interface Session {
  readonly token: string;
  readonly sub: string;
  readonly roles: readonly string[];
  readonly salespersonId: string | null;
  readonly teamId: string | null;
  /** Seconds since the epoch, null when the token does not expire. */
  readonly exp: number | null;
}

const READ_ALL: readonly Role[] = ['admin', 'compliance', 'finance', 'sales-ops'];

function base64UrlDecode(segment: string): string {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The session a token describes, or null when it is not a JWT (three base64url segments, JSON payload). */
export function sessionOf(token: string): Session | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
    if (typeof claims !== 'object' || claims === null) return null;
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
    return {
      token: token.trim(),
      sub: text(claims['sub']) ?? '(unknown)',
      roles: Array.isArray(claims['roles']) ? claims['roles'].filter((r): r is string => typeof r === 'string') : [],
      salespersonId: text(claims['salespersonId']),
      teamId: text(claims['teamId']),
      exp: typeof claims['exp'] === 'number' ? claims['exp'] : null,
    };
  } catch {
    return null;
  }
}

export function isExpired(session: Session, now = Date.now()): boolean {
  return session.exp !== null && session.exp * 1000 <= now;
}

/** Reads every salesperson (the company overview and anyone's pages). */
export function readsAll(session: Session): boolean {
  return READ_ALL.some((role) => session.roles.includes(role));
}

/** A manager of a team (and no read-all role): the overview is their team's. */
export function managedTeam(session: Session): string | null {
  return !readsAll(session) && session.roles.includes('manager') ? session.teamId : null;
}

/** Only a rep: their own pages, no overview. */
export function isRepOnly(session: Session): boolean {
  return !readsAll(session) && managedTeam(session) === null && session.roles.includes('rep');
}

export function mayOpenOverview(session: Session): boolean {
  return readsAll(session) || managedTeam(session) !== null;
}

export function mayReadOrders(session: Session): boolean {
  return (
    readsAll(session) || managedTeam(session) !== null || (session.roles.includes('rep') && !!session.salespersonId)
  );
}

/**
 * Takes `#token=<jwt>` out of the address (the link `npm start` prints) into sessionStorage, then
 * answers the stored session. The token never stays in the address bar or the history.
 */
export function loadSession(): Session | null {
  const hash = window.location.hash;
  const match = /^#token=([^&]+)/.exec(hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    if (sessionOf(token)) sessionStorage.setItem(STORAGE_KEY, token);
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  }
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (!stored) return null;
  const session = sessionOf(stored);
  if (!session || isExpired(session)) {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
  return session;
}

export function saveToken(token: string): Session | null {
  const session = sessionOf(token);
  if (session && !isExpired(session)) sessionStorage.setItem(STORAGE_KEY, session.token);
  return session && !isExpired(session) ? session : null;
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
