// An import worker that says its import started (the run the test recorded: its id is passed as
// the source) and then stops without a word, as a worker thread that crashed would.
import { parentPort, workerData } from 'node:worker_threads';

parentPort.postMessage({ type: 'started', runId: Number(workerData.source) });
process.exit(1);
