import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMainThread } from 'node:worker_threads';
import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { config } from './config.ts';

/**
 * JSON lines on stderr: stdout is the CLI's output (`sms106 lookup --json`), and the server's
 * own messages already go to stderr. Written asynchronously in the main thread (pino flushes it at
 * exit); synchronously in a worker thread, whose end pino does not wait for.
 */
export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  return pino({ level, base: { pid: process.pid } }, destination ?? pino.destination({ dest: 2, sync: !isMainThread }));
}

let processLogger: Logger | null = null;

/** The process's logger, made on first use at LOG_LEVEL (server/config.ts; importing this module does no work). */
export function logger(): Logger {
  processLogger ??= createLogger(config().logLevel);
  return processLogger;
}

/** An id a proxy in front may have given the request: kept if it is plain, so it cannot forge log lines. */
const GIVEN_ID = /^[\w.:-]{1,100}$/;

type LoggedRequest = IncomingMessage & { originalUrl?: string };

/**
 * Logs every request once, when its answer is finished (or the connection closed): method, path
 * (never the query, which holds the numbers looked up), status, duration in ms and the request
 * id, which the response carries as X-Request-Id. A 500 is logged at error level with the error
 * the app's error handler put in `res.err`. A request the lookup lane (lookupLane.ts) has already
 * begun logging is not logged again when the lane passes it on to express.
 */
export function requestLogger(log: Logger = logger()): HttpLogger<LoggedRequest, ServerResponse> {
  const middleware = pinoHttp<LoggedRequest, ServerResponse>({
    logger: log,
    wrapSerializers: false,
    serializers: {
      req: (req: LoggedRequest) => ({
        id: req.id,
        method: req.method,
        path: (req.originalUrl ?? req.url ?? '').split('?')[0],
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
  });
  const once = ((req: LoggedRequest, res: ServerResponse, next?: () => void) => {
    if (req.log) {
      next?.();
      return;
    }
    middleware(req, res, next);
  }) as HttpLogger<LoggedRequest, ServerResponse>;
  once.logger = middleware.logger;
  return once;
}
