import type { Logger } from 'pino';
import { createLogger } from '../../server/log.ts';

export interface LogLine {
  level: number;
  msg: string;
  req?: { id: string; method: string; path: string };
  res?: { statusCode: number };
  responseTime?: number;
  err?: { type: string; message: string; stack: string };
  [key: string]: unknown;
}

/** A logger at info that keeps its lines, parsed, for a test to read. */
export function capturedLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    logger: createLogger('info', {
      write: (line: string) => {
        lines.push(JSON.parse(line) as LogLine);
      },
    }),
    lines,
  };
}

/** pino's number for the error level. */
export const ERROR = 50;
