import { t, type Locale } from './i18n/index.ts';

export type MessageParams = Record<string, string | number>;

/**
 * Something the user asked for cannot be done and they can tell why: an HTTP status and a
 * message (an i18n key and its parameters), shown as a page or JSON by the app's one error
 * handler (app.ts), never as a stack trace. Services throw their own subclasses; a route catches
 * one only to answer differently (a form shown again with the message), never to translate it.
 */
export class UserError extends Error {
  /** Response headers that go with the answer (Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly messageKey: string,
    readonly params: MessageParams = {},
    options: { headers?: Record<string, string>; message?: string; cause?: unknown } = {},
  ) {
    // The message stays what logs and the CLI have always read; the user sees `text`.
    super(options.message ?? messageKey, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.headers = options.headers ?? {};
  }

  /** The message in the user's language. */
  text(locale: Locale): string {
    return t(locale, this.messageKey, this.params);
  }
}

/** A refusal a route decides itself (not found, forbidden, a malformed filter). */
export class HttpError extends UserError {}

export interface ErrorAnswer {
  status: number;
  message: string;
  headers: Record<string, string>;
  /** A fault of the server rather than of the request: logged with its stack. */
  internal: boolean;
}

/**
 * What the user is told about `error`: a UserError says so itself; errors express's own
 * middleware raises carry their 4xx status (413 for a body over the limit, 400 for a malformed
 * one); anything else is a fault (500, the generic message).
 */
export function answerFor(error: unknown, locale: Locale): ErrorAnswer {
  if (error instanceof UserError) {
    return { status: error.status, message: error.text(locale), headers: error.headers, internal: false };
  }
  const expressStatus = (error as { status?: unknown } | null)?.status;
  if (typeof expressStatus === 'number' && expressStatus >= 400 && expressStatus < 500) {
    return { status: expressStatus, message: t(locale, 'error.bad_request'), headers: {}, internal: false };
  }
  return { status: 500, message: t(locale, 'error.internal'), headers: {}, internal: true };
}
