import { createHash, randomBytes } from 'node:crypto';
import { In, LessThan, MoreThanOrEqual, type DataSource } from 'typeorm';
import { Carrier, SignInAttempt, User, UserSession } from '../../entities/index.ts';
import { ROLES, type Role } from '../../entities/User.ts';
import { recordAudit, type Actor } from './audit.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
import { LruMap } from '../../util/lruMap.ts';
import { UserError, type MessageParams } from '../../errors.ts';

export const SESSION_DAYS = 7;
/** Per account: this many wrong passwords in a row lock it for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
/** Per address: this many failed sign-ins within IP_WINDOW_MINUTES refuse further attempts from it. */
export const MAX_FAILURES_PER_IP = 20;
export const IP_WINDOW_MINUTES = 15;

/** Sign-in refusals with a status of their own: a switched-off account is not an attack. */
const SIGN_IN_STATUS: Record<string, number> = {
  'account.bad_credentials': 401,
  'account.disabled': 403,
  'account.locked': 429,
  'account.ip_throttled': 429,
};

/** Something the caller asked for cannot be done; `code` is an i18n key under `account.`. */
export class AccountError extends UserError {
  constructor(
    readonly code: string,
    params: MessageParams = {},
  ) {
    super(SIGN_IN_STATUS[code] ?? 400, code, params);
  }
}

/** The signed-in user as pages and services see it. */
export interface Principal {
  userId: number;
  name: string;
  role: Role;
  carrierId: number | null;
  carrierCode: string | null;
}

export async function createUser(
  dataSource: DataSource,
  input: { name: string; role: string; carrierCode?: string | null; password?: string | null },
  actor: Actor,
): Promise<User> {
  const name = input.name.trim();
  if (!/^[A-Za-z0-9_.-]{2,64}$/.test(name)) throw new AccountError('account.bad_name');
  const { role, carrierId } = await roleAndCarrier(dataSource, input.role, input.carrierCode);
  if (await dataSource.getRepository(User).existsBy({ name })) throw new AccountError('account.name_taken', { name });
  const passwordHash = input.password == null ? null : await checkedHash(input.password);
  const user = await dataSource.getRepository(User).save({
    name,
    role,
    carrierId,
    passwordHash,
    failedLogins: 0,
    lockedUntil: null,
    disabledAt: null,
    createdAt: new Date(),
  });
  await recordAudit(dataSource, {
    actor,
    action: 'user.created',
    subject: `user:${name}`,
    after: { userId: user.id, role, carrierId, passwordSet: passwordHash !== null },
  });
  return user;
}

/** A role and, for the carrier role (and only for it), the carrier it is bound to. */
async function roleAndCarrier(
  dataSource: DataSource,
  roleName: string,
  carrierCode: string | null | undefined,
): Promise<{ role: Role; carrierId: number | null }> {
  if (!(ROLES as readonly string[]).includes(roleName))
    throw new AccountError('account.bad_role', { roles: ROLES.join(', ') });
  const role = roleName as Role;
  if (role !== 'carrier') {
    if (carrierCode) throw new AccountError('account.carrier_only_for_carrier_role');
    return { role, carrierId: null };
  }
  if (!carrierCode) throw new AccountError('account.carrier_required');
  const carrier = await dataSource.getRepository(Carrier).findOneBy({ code: carrierCode });
  if (!carrier) throw new AccountError('account.unknown_carrier', { code: carrierCode });
  return { role, carrierId: carrier.id };
}

/** A user as the administration pages show it. */
export interface UserSummary {
  id: number;
  name: string;
  role: Role;
  carrierCode: string | null;
  passwordSet: boolean;
  disabled: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
  version: number;
}

function summaryOf(user: User): UserSummary {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    carrierCode: user.carrier?.code ?? null,
    passwordSet: user.passwordHash !== null,
    disabled: user.disabledAt !== null,
    lockedUntil: user.lockedUntil,
    createdAt: user.createdAt,
    version: user.version,
  };
}

export async function listUsers(dataSource: DataSource): Promise<UserSummary[]> {
  const users = await dataSource.getRepository(User).find({ relations: { carrier: true }, order: { name: 'ASC' } });
  return users.map(summaryOf);
}

export async function getUser(dataSource: DataSource, id: number): Promise<UserSummary | null> {
  const user = await dataSource.getRepository(User).findOne({ where: { id }, relations: { carrier: true } });
  return user ? summaryOf(user) : null;
}

/** Who the named users (actors in the audit log, on notices) are: role and carrier; unknown names are left out. */
export async function usersNamed(
  dataSource: DataSource,
  names: string[],
): Promise<Map<string, { role: Role; carrierName: string | null }>> {
  const wanted = [...new Set(names)];
  const users =
    wanted.length === 0
      ? []
      : await dataSource.getRepository(User).find({ where: { name: In(wanted) }, relations: { carrier: true } });
  return new Map(users.map((u) => [u.name, { role: u.role, carrierName: u.carrier?.name ?? null }]));
}

/** The account changed since the form was made from it; `current` is what is there now. */
export class StaleUserError extends UserError {
  constructor(readonly current: UserSummary | null) {
    super(
      current ? 409 : 404,
      current ? 'users.stale' : 'error.not_found',
      current ? { version: current.version } : {},
      {
        message: 'stale edit',
      },
    );
  }
}

/**
 * Changes a user's role, carrier and whether the account is switched off, if it is still the
 * `version` the form was made from. Switching an account off ends its sessions. Administrators
 * cannot take their own administration rights away or switch themselves off: someone must be left
 * to undo it.
 */
export async function updateUser(
  dataSource: DataSource,
  id: number,
  version: number,
  input: { role: string; carrierCode: string | null; disabled: boolean },
  actor: { userId: number; name: string },
): Promise<UserSummary> {
  const { role, carrierId } = await roleAndCarrier(dataSource, input.role, input.carrierCode);
  if (id === actor.userId && (role !== 'admin' || input.disabled))
    throw new AccountError('account.cannot_lock_out_self');
  const updated = await dataSource.transaction(async (manager) => {
    const before = await manager.findOne(User, { where: { id }, relations: { carrier: true } });
    if (!before || before.version !== version) throw new StaleUserError(before ? summaryOf(before) : null);
    const disabledAt = input.disabled ? (before.disabledAt ?? new Date()) : null;
    const result = await manager
      .createQueryBuilder()
      .update(User)
      .set({ role, carrierId, disabledAt, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    const after = await manager.findOne(User, { where: { id }, relations: { carrier: true } });
    if (result.affected === 0 || !after) throw new StaleUserError(after ? summaryOf(after) : null);
    if (disabledAt) await manager.delete(UserSession, { userId: id });
    const state = (u: User) => ({
      userId: u.id,
      role: u.role,
      carrierId: u.carrierId,
      disabled: u.disabledAt !== null,
      version: u.version,
    });
    await recordAudit(manager, {
      actor: actor.name,
      action: 'user.updated',
      subject: `user:${after.name}`,
      before: state(before),
      after: state(after),
    });
    return summaryOf(after);
  });
  // After the commit, so a request in between cannot cache the account as it was.
  forgetSessionsOf(dataSource, id);
  return updated;
}

/**
 * Sets a user's password and ends the user's sessions, all but `keepSession` (the token of the
 * session that set it, when users change their own): whoever signed in with the old password is
 * signed out. Failed attempts against the name are cleared with the lock.
 */
export async function setPassword(
  dataSource: DataSource,
  name: string,
  password: string,
  actor: Actor,
  keepSession: string | null = null,
): Promise<void> {
  const user = await dataSource.getRepository(User).findOneBy({ name });
  if (!user) throw new AccountError('account.unknown_user', { name });
  user.passwordHash = await checkedHash(password);
  user.failedLogins = 0;
  user.lockedUntil = null;
  const versionBefore = user.version;
  await dataSource.transaction(async (manager) => {
    await manager.save(user);
    await manager.delete(SignInAttempt, { name: user.name });
    const sessions = manager.createQueryBuilder().delete().from(UserSession).where('user_id = :id', { id: user.id });
    if (keepSession !== null) sessions.andWhere('token_hash <> :kept', { kept: tokenHash(keepSession) });
    const { affected } = await sessions.execute();
    await recordAudit(manager, {
      actor,
      action: 'user.password_set',
      subject: `user:${name}`,
      before: { userId: user.id, version: versionBefore },
      after: { userId: user.id, version: user.version, sessionsEnded: affected ?? 0 },
    });
  });
  // After the commit: a request in between would cache the session again.
  forgetSessionsOf(dataSource, user.id, keepSession === null ? null : tokenHash(keepSession));
}

async function checkedHash(password: string): Promise<string> {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new AccountError('account.password_too_short', { min: MIN_PASSWORD_LENGTH });
  return hashPassword(password);
}

/**
 * Checks a name and password. Every attempt is first reserved in sign_in_attempts (the store all
 * server processes share), then counted: more than MAX_FAILURES_PER_IP attempts from the address
 * within IP_WINDOW_MINUTES, or more than MAX_FAILED_LOGINS against the name within LOCK_MINUTES,
 * are refused without checking the password, so a burst of parallel attempts gets no more
 * password checks than one attempt after another would. Unknown names are counted and locked
 * like known ones, and cost the same time, so no answer reveals which names exist. A successful
 * sign-in clears its name's attempts ("wrong passwords in a row"); old attempts are pruned here.
 */
export async function authenticate(
  dataSource: DataSource,
  name: string,
  password: string,
  ip: string,
): Promise<Principal> {
  const typed = name.trim().slice(0, 64);
  const address = ip.slice(0, 64);
  const attempts = dataSource.getRepository(SignInAttempt);
  const now = new Date();
  await attempts.delete({ at: LessThan(new Date(now.getTime() - Math.max(LOCK_MINUTES, IP_WINDOW_MINUTES) * 60_000)) });
  await attempts.insert({ name: typed, ip: address, at: now });
  const fromAddress = await attempts.countBy({
    ip: address,
    at: MoreThanOrEqual(new Date(now.getTime() - IP_WINDOW_MINUTES * 60_000)),
  });
  if (fromAddress > MAX_FAILURES_PER_IP) throw new AccountError('account.ip_throttled', { minutes: IP_WINDOW_MINUTES });
  const againstName = await attempts.countBy({
    name: typed,
    at: MoreThanOrEqual(new Date(now.getTime() - LOCK_MINUTES * 60_000)),
  });
  if (againstName > MAX_FAILED_LOGINS) throw new AccountError('account.locked', { minutes: LOCK_MINUTES });

  const users = dataSource.getRepository(User);
  const user = await users.findOne({ where: { name: typed }, relations: { carrier: true } });
  const ok = user?.passwordHash
    ? await verifyPassword(password, user.passwordHash)
    : (await hashPassword(password), false);
  if (!user || !ok) {
    await recordAudit(dataSource, {
      actor: typed || '?',
      action: 'session.sign_in_failed',
      subject: `user:${typed}`,
      after: { ip: address, known: Boolean(user) },
    });
    const locked = againstName >= MAX_FAILED_LOGINS;
    // Kept on the account for the users page: how many wrong passwords in a row, and until when it is locked.
    if (user)
      await users.update(user.id, {
        failedLogins: againstName,
        lockedUntil: locked ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null,
      });
    if (locked) throw new AccountError('account.locked', { minutes: LOCK_MINUTES });
    throw new AccountError('account.bad_credentials');
  }
  // The right password: not a failure, and the name's failures in a row are over (this
  // attempt's own reservation is one of the name's).
  await attempts.delete({ name: typed });
  if (user.disabledAt) throw new AccountError('account.disabled');
  if (user.failedLogins !== 0 || user.lockedUntil) await users.update(user.id, { failedLogins: 0, lockedUntil: null });
  await recordAudit(dataSource, {
    actor: user.name,
    action: 'session.signed_in',
    subject: `user:${user.name}`,
    after: { userId: user.id, ip: address },
  });
  return {
    userId: user.id,
    name: user.name,
    role: user.role,
    carrierId: user.carrierId,
    carrierCode: user.carrier?.code ?? null,
  };
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session; returns the token for the cookie. */
export async function startSession(
  dataSource: DataSource,
  userId: number,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = new Date();
  await dataSource.getRepository(UserSession).insert({
    tokenHash: tokenHash(token),
    userId,
    csrfToken,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
  });
  // Old sessions are swept here rather than by a timer.
  await dataSource.getRepository(UserSession).delete({ expiresAt: LessThan(now) });
  return { token, csrfToken };
}

interface CachedSession {
  principal: Principal;
  csrfToken: string;
  expiresAt: Date;
  readAt: number;
}

/**
 * Sessions read in the last few seconds, per database: every request asks for its session, and
 * under load that query is most of a cheap request's cost. This process forgets an entry the
 * moment it ends the session or changes or switches off the account (endSession, updateUser);
 * a change made by another process (the command line) is seen within SESSION_CACHE_MS.
 *
 * One read per session at a time: when an entry grows stale under load, the requests that find
 * it so wait for the one read the first of them began, instead of each reading it again (a
 * hundred connections' requests at once stalled the server every SESSION_CACHE_MS, the lookup
 * API's slowest hundredth; docs/performance.md). A read begun before this process forgot a
 * session (`generation` moved on) answers the requests that were waiting for it but is not kept.
 */
const SESSION_CACHE_MS = 5_000;
/** Sessions kept per database: a flood of sign-ins pushes out the least recently used, not the ones in use. */
export const SESSION_CACHE_LIMIT = 10_000;

interface SessionCache {
  entries: LruMap<string, CachedSession>;
  /** Reads under way, by token hash. */
  reading: Map<string, Promise<CachedSession | null>>;
  /** Moves on whenever this process forgets sessions. */
  generation: number;
}

const sessionCaches = new WeakMap<DataSource, SessionCache>();

function sessionCache(dataSource: DataSource): SessionCache {
  let cache = sessionCaches.get(dataSource);
  if (!cache)
    sessionCaches.set(
      dataSource,
      (cache = { entries: new LruMap(SESSION_CACHE_LIMIT), reading: new Map(), generation: 0 }),
    );
  return cache;
}

/** Forgets what `forget` picks, and every read under way (a request from now on reads anew). */
function forgetSessions(dataSource: DataSource, forget: (hash: string, session: CachedSession) => boolean): void {
  const cache = sessionCache(dataSource);
  cache.generation++;
  cache.reading.clear();
  for (const [hash, session] of [...cache.entries]) if (forget(hash, session)) cache.entries.delete(hash);
}

function forgetSession(dataSource: DataSource, hash: string): void {
  const cache = sessionCache(dataSource);
  cache.generation++;
  cache.reading.clear();
  cache.entries.delete(hash);
}

function forgetSessionsOf(dataSource: DataSource, userId: number, keptHash: string | null = null): void {
  forgetSessions(dataSource, (hash, session) => session.principal.userId === userId && hash !== keptHash);
}

export async function findSession(
  dataSource: DataSource,
  token: string,
): Promise<{ principal: Principal; csrfToken: string } | null> {
  const hash = tokenHash(token);
  const cache = sessionCache(dataSource);
  let cached: CachedSession | null | undefined = cache.entries.get(hash);
  if (!cached || Date.now() - cached.readAt > SESSION_CACHE_MS) {
    let reading = cache.reading.get(hash);
    if (!reading) {
      reading = readSession(dataSource, hash, cache);
      cache.reading.set(hash, reading);
      const done = () => {
        if (cache.reading.get(hash) === reading) cache.reading.delete(hash);
      };
      reading.then(done, done);
    }
    cached = await reading;
    if (!cached) return null;
  }
  if (cached.expiresAt.getTime() <= Date.now()) return null;
  return { principal: cached.principal, csrfToken: cached.csrfToken };
}

/** The session of `hash` from the store, kept in `cache` unless sessions were forgotten meanwhile. */
async function readSession(dataSource: DataSource, hash: string, cache: SessionCache): Promise<CachedSession | null> {
  const generation = cache.generation;
  const readAt = Date.now();
  cache.entries.delete(hash);
  // One query (findOne with relations and its implied LIMIT makes TypeORM run two); token_hash
  // is unique, so there is at most one row.
  const session = await dataSource
    .getRepository(UserSession)
    .createQueryBuilder('s')
    .innerJoinAndSelect('s.user', 'u')
    .leftJoinAndSelect('u.carrier', 'c')
    .where('s.tokenHash = :hash', { hash })
    .getOne();
  if (!session || session.user.disabledAt) return null;
  const { user } = session;
  const cached: CachedSession = {
    principal: {
      userId: user.id,
      name: user.name,
      role: user.role,
      carrierId: user.carrierId,
      carrierCode: user.carrier?.code ?? null,
    },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
    readAt,
  };
  if (cache.generation === generation) cache.entries.set(hash, cached);
  return cached;
}

export async function endSession(dataSource: DataSource, token: string): Promise<void> {
  const hash = tokenHash(token);
  forgetSession(dataSource, hash);
  await dataSource.getRepository(UserSession).delete({ tokenHash: hash });
  // A read begun between the two saw the session still stored: not kept either.
  forgetSession(dataSource, hash);
}
