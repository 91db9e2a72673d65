import type { IncomingMessage, OutgoingHttpHeaders, RequestListener } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import etag from 'etag';
import type { DataSource } from 'typeorm';
import { securityHeaders } from './app.ts';
import { SESSION_COOKIE, readCookie } from './auth.ts';
import { formatShanghai } from './numbering/time.ts';
import { findSession } from './services/accounts.ts';
import { LookupInputError, lookupJson, lookupNumber } from './services/lookup.ts';
import { scopeOf } from './services/scope.ts';

/**
 * GET /api/lookup, the machine interface carriers' systems call per message, answered without
 * express when the request is the plain case: a signed-in session, one well-formed number and at
 * most one time, no conditional headers, no `lang` switch. Express's middleware chain (helmet's
 * headers one by one, the router, the locale and body parsers) cost about two thirds of the
 * server's time per lookup; this lane answers the same request three times as fast (docs/performance.md).
 *
 * Everything else — no session, a number or time that does not parse, a failure — goes to the
 * express app unchanged, whose route (routes/lookup.ts) stays the authority for what the answer
 * is. The lane's 200 answer is byte for byte the route's: same body, the same security headers
 * (recorded once from the app's own helmet), the same weak ETag; test/http/lookupLane.test.ts
 * compares the two.
 */
export function withLookupLane(dataSource: DataSource, app: RequestListener): RequestListener {
  const headers = recordedHeaders();
  return (req, res) => {
    const asked = plainLookup(req);
    if (!asked) {
      app(req, res);
      return;
    }
    answer(dataSource, asked).then((body) => {
      if (body === null) {
        app(req, res);
        return;
      }
      res.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, etag: etag(body, { weak: true }) });
      res.end(body);
    }, (error: unknown) => {
      // Express does the request again from the start and answers (and logs) as it would any failure.
      console.error('GET /api/lookup failed in the lookup lane; express answers it:', error);
      app(req, res);
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
  if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return null;
  const token = readCookie(req, SESSION_COOKIE);
  if (!token) return null;
  // Parsed as express's default ("simple") query parser does; limits as routes/lookup.ts's schema.
  const query = parseQuery(url.slice(mark + 1));
  const { number, at, lang } = query;
  if (lang !== undefined || typeof number !== 'string' || number === '' || number.length > 100) return null;
  if (at !== undefined && (typeof at !== 'string' || at.length > 40)) return null;
  return { token, number, at };
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

/** The headers the app's helmet sets on every response, recorded once. */
function recordedHeaders(): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const recorder = {
    setHeader(name: string, value: string | number | string[]) { headers[name.toLowerCase()] = value; },
    removeHeader(name: string) { delete headers[name.toLowerCase()]; },
  };
  let finished = false;
  securityHeaders({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be recorded');
  return headers;
}
