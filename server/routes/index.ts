import type { Express, Request, Response } from 'express';
import type { AppContext } from '../app.ts';
import { getAgent, getAgents } from './agents.ts';
import { getCarrier, getCarriers } from './carriers.ts';
import { getAudit } from './audit.ts';
import { getAuditRun, getAudits, postAudit, postCancelAudit } from './audits.ts';
import { getFindingPage, getFindings, getRisk, postDismissFinding, postReopenFinding } from './findings.ts';
import { getReferenceEdit, getReferenceList, postReference, postReferenceDelete, postReferenceEdit } from './reference.ts';
import { getUserEdit, getUsers, postUser, postUserEdit, postUserPassword } from './users.ts';
import { getLogin, postLogin, postLogout } from './auth.ts';
import { getDashboard, getDatasetFormat } from './dashboard.ts';
import { getEntities, getEntity } from './entities.ts';
import { getImport, getImports, postImport } from './imports.ts';
import { getLookup, getLookupJson } from './lookup.ts';
import { getMessage, getMessages } from './messages.ts';
import {
  getNewNotice, getNoticePage, getNoticePdf, getNoticePrint, getNotices, getVerify, postAcknowledge, postNotice, postNoticePreview, postRectify,
} from './notices.ts';

type Handler = (req: Request, res: Response, context: AppContext) => Promise<void> | void;

/** Every route of the app; handlers get the shared context as their third argument. */
export function registerRoutes(app: Express, context: AppContext): void {
  const bind = (handler: Handler) => (req: Request, res: Response) => handler(req, res, context);
  app.get('/login', bind(getLogin));
  app.post('/login', bind(postLogin));
  app.post('/logout', bind(postLogout));
  app.get('/', bind(getDashboard));
  app.get('/admin/audit', bind(getAudit));
  app.get('/admin/users', bind(getUsers));
  app.post('/admin/users', bind(postUser));
  app.get('/admin/users/:id', bind(getUserEdit));
  app.post('/admin/users/:id', bind(postUserEdit));
  app.post('/admin/users/:id/password', bind(postUserPassword));
  app.get('/admin/reference', (_req, res) => res.redirect(302, '/admin/reference/protected-senders'));
  app.get('/admin/reference/:table', bind(getReferenceList));
  app.post('/admin/reference/:table', bind(postReference));
  app.get('/admin/reference/:table/:id', bind(getReferenceEdit));
  app.post('/admin/reference/:table/:id', bind(postReferenceEdit));
  app.post('/admin/reference/:table/:id/delete', bind(postReferenceDelete));
  app.get('/audits', bind(getAudits));
  app.post('/audits', bind(postAudit));
  app.get('/audits/:id', bind(getAuditRun));
  app.post('/audits/:id/cancel', bind(postCancelAudit));
  app.get('/findings', bind(getFindings));
  app.get('/findings/:id', bind(getFindingPage));
  app.post('/findings/:id/dismiss', bind(postDismissFinding));
  app.post('/findings/:id/reopen', bind(postReopenFinding));
  app.get('/risk', bind(getRisk));
  app.get('/verify', bind(getVerify));
  app.get('/verify/:code', bind(getVerify));
  app.get('/agents/:uscc/notices/new', bind(getNewNotice));
  app.post('/agents/:uscc/notices/preview', bind(postNoticePreview));
  app.post('/agents/:uscc/notices', bind(postNotice));
  app.get('/notices', bind(getNotices));
  app.get('/notices/:id', bind(getNoticePage));
  app.get('/notices/:id/print', bind(getNoticePrint));
  app.get('/notices/:id/pdf', bind(getNoticePdf));
  app.post('/notices/:id/acknowledge', bind(postAcknowledge));
  app.post('/notices/:id/rectify', bind(postRectify));
  app.get('/messages', bind(getMessages));
  app.get('/messages/:id', bind(getMessage));
  app.get('/lookup', bind(getLookup));
  app.get('/api/lookup', bind(getLookupJson));
  app.get('/imports', bind(getImports));
  app.post('/imports', bind(postImport));
  app.get('/imports/:id', bind(getImport));
  app.get('/docs/dataset-format', bind(getDatasetFormat));
  app.get('/carriers', bind(getCarriers));
  app.get('/carriers/:code', bind(getCarrier));
  app.get('/agents', bind(getAgents));
  app.get('/agents/:uscc', bind(getAgent));
  app.get('/entities', bind(getEntities));
  app.get('/entities/:uscc', bind(getEntity));
}
