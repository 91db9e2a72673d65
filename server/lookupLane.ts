import type { IncomingMessage, RequestListener } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import etag from 'etag';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { securityHeaders } from './securityHeaders.ts';
import { SESSION_COOKIE, readCookie } from './auth.ts';
import { requestLogger } from './log.ts';
import { formatShanghai } from './numbering/time.ts';
import { lookupQuery } from './routes/lookup.ts';
import { findSession } from './services/accounts/accounts.ts';
import { LookupInputError, lookupJson, lookupNumber } from './services/lookup/lookup.ts';
import { scopeOf } from './services/accounts/scope.ts';

/**
 * GET /api/lookup, the machine interface carriers' systems call per message, answered without
 * express when the request is the plain case: a signed-in session, one well-formed number and at
 * most one time, no `lang` switch, no fragment, no body, no conditional headers. Express's
 * middleware chain (helmet's headers one by one, the router, the locale and body parsers) cost
 * about two thirds of the server's time per lookup; this lane answers the same request three
 * times as fast (docs/performance.md).
 *
 * Everything else — no session, a number or time that does not parse, a failure — goes to the
 * express app unchanged, whose route (routes/lookup.ts) stays the authority for what the answer
 * is. The lane's 200 answer is the route's: the same body, the same headers in the same order and
 * spelling (helmet's recorded once from the app's own middleware, then res.json's, with the
 * same weak ETag); test/http/lookupLane.test.ts compares the two as they come off the wire.
 */
export function withLookupLane(
  dataSource: DataSource,
  app: RequestListener,
  options: { logger?: Logger } = {},
): RequestListener {
  const security = recordedHeaders();
  // Every request is logged from here, as the app logs it (log.ts), whichever of the two answers it.
  const logRequest = requestLogger(options.logger);
  return (req, res) => {
    logRequest(req, res);
    const asked = plainLookup(req);
    if (!asked) {
      app(req, res);
      return;
    }
    answer(dataSource, asked)
      .then((body) => {
        if (body === null) {
          app(req, res);
          return;
        }
        // In the order and spelling express sends them: helmet's, then res.json's.
        res.writeHead(
          200,
          [
            ...security,
            ['Content-Type', 'application/json; charset=utf-8'],
            ['Content-Length', String(body.length)],
            ['ETag', etag(body, { weak: true })],
          ].flat(),
        );
        res.end(body);
      })
      .catch((error: unknown) => {
        req.log.error({ err: error }, 'GET /api/lookup failed in the lookup lane');
        // Express does the request again from the start and answers (and logs) as it would any
        // failure, unless the lane had already begun its answer, which then cannot be finished.
        if (res.headersSent) res.destroy();
        else app(req, res);
      });
  };
}

interface PlainLookup {
  token: string;
  number: string;
  at: string | undefined;
}

/** The request, if it is one the lane may answer; null sends it to express. */
function plainLookup(req: IncomingMessage): PlainLookup | null {
  const url = req.url ?? '';
  const mark = url.indexOf('?');
  if (req.method !== 'GET' || mark < 0 || url.slice(0, mark) !== '/api/lookup') return null;
  // A fragment (express's URL parser drops it), a body (express's form parser reads, and may
  // refuse, one on any method) and conditional headers are express's to handle.
  if (url.includes('#')) return null;
  if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0') return null;
  if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return null;
  const token = readCookie(req, SESSION_COOKIE);
  if (!token) return null;
  // Parsed as express's default ("simple") query parser does, then checked by the route's own schema.
  const query = parseQuery(url.slice(mark + 1));
  if (query.lang !== undefined) return null;
  const parsed = lookupQuery.safeParse(query);
  if (!parsed.success || !parsed.data.number) return null;
  return { token, number: parsed.data.number, at: parsed.data.at };
}

/** The JSON answer, or null when the request is not the plain case after all (express answers it). */
async function answer(dataSource: DataSource, asked: PlainLookup): Promise<Buffer | null> {
  const session = await findSession(dataSource, asked.token);
  if (!session) return null;
  try {
    const result = await lookupNumber(dataSource, asked.number, asked.at, scopeOf(session.principal));
    return Buffer.from(JSON.stringify(lookupJson(result, formatShanghai)));
  } catch (error) {
    if (error instanceof LookupInputError) return null;
    throw error;
  }
}

/** The headers the app's helmet sets on every response, recorded once: [name, value] in its order and spelling. */
function recordedHeaders(): Array<[string, string]> {
  const headers = new Map<string, [string, string]>();
  const recorder = {
    setHeader(name: string, value: string | number | string[]) {
      if (typeof value !== 'string') throw new Error(`helmet set ${name} to a value the lookup lane cannot record`);
      headers.set(name.toLowerCase(), [name, value]);
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
  };
  let finished = false;
  securityHeaders({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be recorded');
  return [...headers.values()];
}
