import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import pino from 'pino';
import { currentLogContext } from './correlation';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppLoggerOptions {
  readonly level: LogLevel;
  /** Where JSON lines go (default stdout, written synchronously so nothing is lost at exit). */
  readonly destination?: pino.DestinationStream;
  /** Fixed fields of every line (default: pid and hostname as pino writes them). */
  readonly base?: Record<string, unknown>;
}

/**
 * Nest's LoggerService on pino: one JSON object per line on stdout, with `time` (epoch ms),
 * `level` (a label: info, warn...), `context` (the Nest logger's name), `msg`, and the
 * `correlationId` of the HTTP request being served (AsyncLocalStorage) when there is one.
 * An object passed as the message is merged into the line (`logger.log({ msg, route, ... })`).
 */
export class AppLogger implements LoggerService {
  readonly pino: pino.Logger;

  constructor(options: AppLoggerOptions) {
    this.pino = pino(
      {
        level: options.level,
        ...(options.base !== undefined ? { base: options.base } : {}),
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => {
          const context = currentLogContext();
          return context ? { correlationId: context.correlationId } : {};
        },
      },
      options.destination ?? pino.destination({ dest: 1, sync: true }),
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest asks for its own levels: mapped onto pino's threshold (set with LOG_LEVEL). */
  setLogLevels(_levels: NestLogLevel[]): void {
    /* LOG_LEVEL decides */
  }

  /**
   * Nest calls `log(message, context)` and `error(message, stack, context)`: the last string
   * parameter is the context, a string before it (error) the stack.
   */
  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, params: unknown[]) {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();
    const stack = rest.find((p): p is string => typeof p === 'string');
    if (stack !== undefined) fields.stack = stack;
    if (message instanceof Error) {
      fields.err = { type: message.name, message: message.message, stack: message.stack };
      this.pino[level](fields, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
