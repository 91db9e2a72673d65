// Runs one import in a worker thread with a database connection of its own, so the web server
// keeps answering (and, on SQLite, never sees the import's open transaction).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// From the TypeScript source the thread compiles through tsx as the main thread does; compiled, it needs nothing.
if (workerData.tsconfig) register({ tsconfig: workerData.tsconfig });
const { importInWorker } = await import('./importWorkerMain.ts');
await importInWorker(workerData, (message) => parentPort.postMessage(message));
