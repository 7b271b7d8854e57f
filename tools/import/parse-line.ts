/**
 * One line of an import file (JSON Lines): one HTTP command request of the API, as
 *
 *   {"method":"POST","path":"/orders/O1/payments","body":{"paymentId":"P1",…}}
 *
 * `path` is the API path (with or without `/api/v1`), `body` the JSON body the API takes (`{}` for
 * none). Optional: `type` (the command's name; when given it must be the path's command),
 * `actor` (who the events say sent it; default: the import's `--actor`) and `correlationId`.
 * Pure: shape checks only; the body is validated by the API's own DTOs and pipes (commands.ts).
 */
import { matchRoute, type Route } from './routes';

export interface ImportLine {
  /** 1-based line number in the file. */
  readonly lineNo: number;
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly actor: string | null;
  readonly correlationId: string | null;
}

/** A line refused before or by its command, as the API would have answered it. */
export interface Refusal {
  readonly line: number;
  /** The command's name when the line said or its path told it. */
  readonly type: string | null;
  /** The HTTP status the API would have answered. */
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly { readonly field: string; readonly message: string }[];
}

export type ParsedLine =
  { readonly ok: true; readonly line: ImportLine } | { readonly ok: false; readonly refusal: Refusal };

const KNOWN_KEYS = new Set(['method', 'path', 'body', 'type', 'actor', 'correlationId']);
/** What the API accepts in X-Correlation-Id (request-context.ts). */
const SAFE_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const ACTOR = /^[^\s\u0000-\u001f]{1,200}$/;

const refuse = (line: number, code: string, detail: string, type: string | null = null, status = 400): ParsedLine => ({
  ok: false,
  refusal: { line, type, status, code, detail },
});

/** Blank lines carry nothing and are skipped (not counted as commands). */
export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

export function parseLine(text: string, lineNo: number): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse(lineNo, 'INVALID_LINE', `not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return refuse(lineNo, 'INVALID_LINE', 'a line must be a JSON object {"method","path","body"}');
  }
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) {
    return refuse(
      lineNo,
      'INVALID_LINE',
      `unknown keys ${unknown.join(', ')} (a line has method, path, body, and optionally type, actor, correlationId)`,
    );
  }
  const declared = typeof o.type === 'string' ? o.type : null;
  if (o.type !== undefined && declared === null) return refuse(lineNo, 'INVALID_LINE', 'type must be a string');
  if (typeof o.method !== 'string')
    return refuse(lineNo, 'INVALID_LINE', 'method must be a string (POST or PUT)', declared);
  if (typeof o.path !== 'string' || !o.path.startsWith('/')) {
    return refuse(lineNo, 'INVALID_LINE', 'path must be an API path starting with /', declared);
  }
  if (o.path.includes('?')) return refuse(lineNo, 'INVALID_LINE', 'path must not carry a query', declared);
  const body = o.body === undefined ? {} : o.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return refuse(lineNo, 'INVALID_LINE', 'body must be a JSON object', declared);
  }
  if (o.actor !== undefined && (typeof o.actor !== 'string' || !ACTOR.test(o.actor))) {
    return refuse(lineNo, 'INVALID_LINE', 'actor must be 1-200 characters without spaces', declared);
  }
  if (o.correlationId !== undefined && (typeof o.correlationId !== 'string' || !SAFE_ID.test(o.correlationId))) {
    return refuse(
      lineNo,
      'INVALID_LINE',
      'correlationId must be 1-100 characters of letters, digits, _ . : -',
      declared,
    );
  }
  const match = matchRoute(o.method, o.path);
  if (!match) return refuse(lineNo, 'NOT_FOUND', `no command at ${o.path}`, declared, 404);
  if (!match.methodAllowed) {
    return refuse(
      lineNo,
      'METHOD_NOT_ALLOWED',
      `${match.route.type} is ${match.route.method} ${match.route.template}`,
      match.route.type,
      405,
    );
  }
  if (declared !== null && declared !== match.route.type) {
    return refuse(
      lineNo,
      'INVALID_LINE',
      `type ${declared} does not match ${o.method} ${o.path} (${match.route.type})`,
      declared,
    );
  }
  if (!match.route.importable) {
    return refuse(
      lineNo,
      'NOT_IMPORTABLE',
      `${match.route.type} reads the projections and cannot be imported: send it to the running API after the import`,
      match.route.type,
      422,
    );
  }
  return {
    ok: true,
    line: {
      lineNo,
      route: match.route,
      params: match.params,
      body,
      actor: typeof o.actor === 'string' ? o.actor : null,
      correlationId: typeof o.correlationId === 'string' ? o.correlationId : null,
    },
  };
}
