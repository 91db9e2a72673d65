// One thread of an audit split across threads (auditShares.ts): it audits the messages of the
// senders it is given against a shared copy of the snapshot and answers with what it found.
// workerData names the project's tsconfig, for tsx to compile the rules as the main thread does.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// From the TypeScript source the thread compiles through tsx as the main thread does; compiled, it needs nothing.
if (workerData.tsconfig) register({ tsconfig: workerData.tsconfig });
const { serveAuditShare } = await import('./auditShares.ts');
serveAuditShare(parentPort);
