// Runs one import in a worker thread with a database connection of its own, so the web server
// keeps answering (and, on SQLite, never sees the import's open transaction).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register({ tsconfig: workerData.tsconfig });
const { importInWorker } = await import('./importWorkerMain.ts');
await importInWorker(workerData, (message) => parentPort.postMessage(message));
