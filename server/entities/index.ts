import { Agent } from './Agent.ts';
import { AuditEvent } from './AuditEvent.ts';
import { Allocation } from './Allocation.ts';
import { AuditRun } from './AuditRun.ts';
import { Carrier } from './Carrier.ts';
import { Complaint } from './Complaint.ts';
import { Finding } from './Finding.ts';
import { ImportRun } from './ImportRun.ts';
import { Issuer } from './Issuer.ts';
import { Notice } from './Notice.ts';
import { NoticeCounter } from './NoticeCounter.ts';
import { NoticeFinding } from './NoticeFinding.ts';
import { ImportRunError } from './ImportRunError.ts';
import { LegalInstrument } from './LegalInstrument.ts';
import { Message } from './Message.ts';
import { MessageLabel } from './MessageLabel.ts';
import { ProtectedSender } from './ProtectedSender.ts';
import { Signature } from './Signature.ts';
import { SignInAttempt } from './SignInAttempt.ts';
import { UrlListEntry } from './UrlListEntry.ts';
import { User } from './User.ts';
import { UserSession } from './UserSession.ts';
import { UsingEntity } from './UsingEntity.ts';

export {
  Agent,
  AuditEvent,
  AuditRun,
  Allocation,
  Carrier,
  Complaint,
  Finding,
  ImportRun,
  Issuer,
  Notice,
  NoticeCounter,
  NoticeFinding,
  ImportRunError,
  LegalInstrument,
  Message,
  MessageLabel,
  ProtectedSender,
  Signature,
  SignInAttempt,
  UrlListEntry,
  User,
  UserSession,
  UsingEntity,
};

export const entities = [
  Carrier,
  Agent,
  UsingEntity,
  Signature,
  Allocation,
  Message,
  Complaint,
  ProtectedSender,
  UrlListEntry,
  LegalInstrument,
  ImportRun,
  ImportRunError,
  User,
  UserSession,
  AuditEvent,
  AuditRun,
  Finding,
  Issuer,
  NoticeCounter,
  Notice,
  NoticeFinding,
  MessageLabel,
  SignInAttempt,
];
