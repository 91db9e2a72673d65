import type { Express, Request, Response } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Role } from '../entities/User.ts';
import { getAgent, getAgents } from './agents.ts';
import { getCarrier, getCarriers } from './carriers.ts';
import { getAudit } from './audit.ts';
import { getAuditRun, getAudits, postAudit, postCancelAudit } from './audits.ts';
import { getFindingPage, getFindings, getRisk, postDismissFinding, postReopenFinding } from './findings.ts';
import {
  getReferenceEdit,
  getReferenceList,
  postReference,
  postReferenceDelete,
  postReferenceEdit,
} from './reference.ts';
import { getUserEdit, getUsers, postUser, postUserEdit, postUserPassword } from './users.ts';
import { getLogin, postLogin, postLogout } from './auth.ts';
import { getDashboard, getDatasetFormat } from './dashboard.ts';
import { getEntities, getEntity } from './entities.ts';
import { getImport, getImports, postImport } from './imports.ts';
import { getLookup, getLookupJson } from './lookup.ts';
import { getMessage, getMessages, postMessageLabel } from './messages.ts';
import {
  getNewNotice,
  getNoticePage,
  getNoticePdf,
  getNoticePrint,
  getNotices,
  getVerify,
  postAcknowledge,
  postNotice,
  postNoticePreview,
  postRectify,
} from './notices.ts';
import { getCrossCarrier, getTree, getTreeCsv, getTreePng, getTreeSvg } from './tree.ts';

type Handler = (req: Request, res: Response, context: AppContext) => Promise<void> | void;

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * Whether the signed-in user may use another route (as ROUTES declares it, e.g. `'post',
     * '/findings/:id/dismiss'`): so that a page offers only the actions its reader may take.
     */
    may(method: RouteDeclaration['method'], path: string): boolean;
  }
}

/**
 * Who may use a route: `public` (no sign-in: the login form, the public notice check), `signed-in`
 * (every role; what it shows is still confined to the user's scope), or the roles listed. The
 * table below is the one place a route's roles are decided; README's "Who may change what" table
 * is checked against it (test/http/roles.test.ts).
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface RouteDeclaration {
  method: 'get' | 'post';
  path: string;
  access: Access;
  handler: Handler;
}

const ADMIN = ['admin'] as const;
/** A carrier's own workflow: its findings, its labels, its data. */
const CARRIER_STAFF = ['admin', 'carrier'] as const;
/** Also a regulator: issuing under a regulator office, running an audit. */
const ISSUERS = ['admin', 'carrier', 'regulator'] as const;

/** Every route of the app, with who may use it. */
export const ROUTES: readonly RouteDeclaration[] = [
  { method: 'get', path: '/login', access: 'public', handler: getLogin },
  { method: 'post', path: '/login', access: 'public', handler: postLogin },
  { method: 'post', path: '/logout', access: 'signed-in', handler: postLogout },
  { method: 'get', path: '/', access: 'signed-in', handler: getDashboard },
  { method: 'get', path: '/admin/audit', access: ADMIN, handler: getAudit },
  { method: 'get', path: '/admin/users', access: ADMIN, handler: getUsers },
  { method: 'post', path: '/admin/users', access: ADMIN, handler: postUser },
  { method: 'get', path: '/admin/users/:id', access: ADMIN, handler: getUserEdit },
  { method: 'post', path: '/admin/users/:id', access: ADMIN, handler: postUserEdit },
  { method: 'post', path: '/admin/users/:id/password', access: ADMIN, handler: postUserPassword },
  {
    method: 'get',
    path: '/admin/reference',
    access: ADMIN,
    handler: (_req, res) => res.redirect(302, '/admin/reference/protected-senders'),
  },
  { method: 'get', path: '/admin/reference/:table', access: ADMIN, handler: getReferenceList },
  { method: 'post', path: '/admin/reference/:table', access: ADMIN, handler: postReference },
  { method: 'get', path: '/admin/reference/:table/:id', access: ADMIN, handler: getReferenceEdit },
  { method: 'post', path: '/admin/reference/:table/:id', access: ADMIN, handler: postReferenceEdit },
  { method: 'post', path: '/admin/reference/:table/:id/delete', access: ADMIN, handler: postReferenceDelete },
  { method: 'get', path: '/audits', access: 'signed-in', handler: getAudits },
  { method: 'post', path: '/audits', access: ISSUERS, handler: postAudit },
  { method: 'get', path: '/audits/:id', access: 'signed-in', handler: getAuditRun },
  // Further limited to the run's starter (or an administrator) in the handler.
  { method: 'post', path: '/audits/:id/cancel', access: ISSUERS, handler: postCancelAudit },
  { method: 'get', path: '/findings', access: 'signed-in', handler: getFindings },
  { method: 'get', path: '/findings/:id', access: 'signed-in', handler: getFindingPage },
  { method: 'post', path: '/findings/:id/dismiss', access: CARRIER_STAFF, handler: postDismissFinding },
  { method: 'post', path: '/findings/:id/reopen', access: CARRIER_STAFF, handler: postReopenFinding },
  { method: 'get', path: '/risk', access: 'signed-in', handler: getRisk },
  { method: 'get', path: '/verify', access: 'public', handler: getVerify },
  { method: 'get', path: '/verify/:code', access: 'public', handler: getVerify },
  // Each role issues only under its own issuers (a carrier's, or a regulator office).
  { method: 'get', path: '/agents/:uscc/notices/new', access: ISSUERS, handler: getNewNotice },
  { method: 'post', path: '/agents/:uscc/notices/preview', access: ISSUERS, handler: postNoticePreview },
  { method: 'post', path: '/agents/:uscc/notices', access: ISSUERS, handler: postNotice },
  { method: 'get', path: '/notices', access: 'signed-in', handler: getNotices },
  { method: 'get', path: '/notices/:id', access: 'signed-in', handler: getNoticePage },
  { method: 'get', path: '/notices/:id/print', access: 'signed-in', handler: getNoticePrint },
  { method: 'get', path: '/notices/:id/pdf', access: 'signed-in', handler: getNoticePdf },
  // A regulator records the agent's answer to a regulator office's notice only (the handler checks).
  { method: 'post', path: '/notices/:id/acknowledge', access: ISSUERS, handler: postAcknowledge },
  { method: 'post', path: '/notices/:id/rectify', access: ISSUERS, handler: postRectify },
  { method: 'get', path: '/messages', access: 'signed-in', handler: getMessages },
  { method: 'get', path: '/messages/:id', access: 'signed-in', handler: getMessage },
  { method: 'post', path: '/messages/:id/label', access: CARRIER_STAFF, handler: postMessageLabel },
  { method: 'get', path: '/lookup', access: 'signed-in', handler: getLookup },
  { method: 'get', path: '/api/lookup', access: 'signed-in', handler: getLookupJson },
  { method: 'get', path: '/imports', access: 'signed-in', handler: getImports },
  { method: 'post', path: '/imports', access: CARRIER_STAFF, handler: postImport },
  { method: 'get', path: '/imports/:id', access: 'signed-in', handler: getImport },
  { method: 'get', path: '/docs/dataset-format', access: 'signed-in', handler: getDatasetFormat },
  { method: 'get', path: '/carriers', access: 'signed-in', handler: getCarriers },
  { method: 'get', path: '/carriers/:code', access: 'signed-in', handler: getCarrier },
  { method: 'get', path: '/tree', access: 'signed-in', handler: getTree },
  { method: 'get', path: '/tree/export.csv', access: 'signed-in', handler: getTreeCsv },
  { method: 'get', path: '/tree/export.svg', access: 'signed-in', handler: getTreeSvg },
  { method: 'get', path: '/tree/export.png', access: 'signed-in', handler: getTreePng },
  { method: 'get', path: '/tree/cross-carrier', access: ['admin', 'regulator'], handler: getCrossCarrier },
  { method: 'get', path: '/agents', access: 'signed-in', handler: getAgents },
  { method: 'get', path: '/agents/:uscc', access: 'signed-in', handler: getAgent },
  { method: 'get', path: '/entities', access: 'signed-in', handler: getEntities },
  { method: 'get', path: '/entities/:uscc', access: 'signed-in', handler: getEntity },
];

function allows(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (access === 'signed-in') return role !== undefined;
  return role !== undefined && access.includes(role);
}

/** Whether `role` may use the route declared as `method path`; asking of an undeclared route is a programming error. */
export function mayUse(role: Role | undefined, method: RouteDeclaration['method'], path: string): boolean {
  const route = ROUTES.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no route ${method.toUpperCase()} ${path} is declared`);
  return allows(route.access, role);
}

/** Registers every route; handlers get the shared context as their third argument. */
export function registerRoutes(app: Express, context: AppContext): void {
  for (const route of ROUTES) {
    app[route.method](route.path, (req: Request, res: Response) => {
      if (Array.isArray(route.access) && !route.access.includes(req.principal?.role as Role))
        throw new HttpError(403, 'auth.forbidden');
      req.may = (method, path) => mayUse(req.principal?.role, method, path);
      return route.handler(req, res, context);
    });
  }
}
