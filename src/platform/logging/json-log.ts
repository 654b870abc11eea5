import type { LoggerService } from '@nestjs/common';
import pino from 'pino';
import { currentRequestId } from './request-id';

/**
 * The process's log: one JSON object per line on stdout (pino), with the time, the level, the
 * Nest context and, inside a request, its id. Written through process.stdout itself, so that
 * the lines keep their order with anything else the process prints.
 */
export const log = pino(
  {
    level: 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const reqId = currentRequestId();
      return reqId ? { reqId } : {};
    },
  },
  process.stdout,
);

type Level = 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's logger, as JSON lines. Nest's logger is one per process (whichever application set it
 * last), and tests start many applications in one process: this one keeps no state of an
 * application, so it is the same for every one of them, frontend or sandbox. debug and verbose
 * are not written, as with Nest's own logger at ['log', 'warn', 'error'].
 */
export class JsonLogger implements LoggerService {
  log(message: unknown, ...rest: unknown[]): void {
    write('info', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    write('warn', message, rest);
  }

  /** Nest passes (message, stack?, context). */
  error(message: unknown, ...rest: unknown[]): void {
    write('error', message, rest, true);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    write('fatal', message, rest, true);
  }

  debug(): void {}

  verbose(): void {}
}

/**
 * Nest passes the context (the Logger's name) last, and to error() a stack (or undefined) before
 * it: `log(message, context)`, `error(message, stack, context)`.
 */
function write(level: Level, message: unknown, rest: unknown[], mayHaveStack = false): void {
  const params = [...rest];
  const last = params[params.length - 1];
  const lone = params.length === 1;
  // A lone string after an error's message is its stack when it reads like one.
  const context = typeof last === 'string' && !(mayHaveStack && lone && last.includes('\n')) ? (params.pop() as string) : undefined;
  const stack = message instanceof Error ? message.stack : mayHaveStack && typeof params[0] === 'string' ? params[0] : undefined;
  const fields: Record<string, unknown> = { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
  if (message instanceof Error) log[level](fields, message.message);
  else if (typeof message === 'object' && message !== null) log[level]({ ...fields, data: message }, '');
  else log[level](fields, String(message));
}

/** One logger for every Nest application of this process. */
export const jsonLogger = new JsonLogger();
