import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem } from './problem';
import { API_CSP } from './security-headers';

/**
 * Requests Node's HTTP parser refuses before any middleware runs (headers over 16 KiB, e.g. an
 * oversized bearer token; a malformed request line) are answered as problem+json with the security
 * headers, as every other error, instead of Node's bare status line.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (error.code === 'ECONNRESET' && !socket.readable)) {
      socket.destroy();
      return;
    }
    const [status, code, detail] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than 16 KiB']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive']
          : [400, 'BAD_REQUEST', 'The request is not valid HTTP'];
    const body = JSON.stringify({ ...problem(status, code, detail), title: TITLES[status] });
    socket.end(
      `HTTP/1.1 ${status} ${TITLES[status]}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n' +
        'Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Resource-Policy: same-origin\r\n' +
        `Content-Security-Policy: ${API_CSP}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};
