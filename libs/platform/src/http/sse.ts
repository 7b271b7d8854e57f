import type { Request, Response } from 'express';

/**
 * Starts a Server-Sent Events answer: status, headers that keep proxies from buffering or
 * transforming it, flushed at once, and the client's reconnection delay (`retry:`).
 */
export function openSse(req: Request, res: Response, retryMs: number): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  req.socket.setNoDelay(true);
  res.write(`retry: ${retryMs}\n: connected\n\n`);
}
