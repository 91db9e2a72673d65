// An import worker whose import has already recorded how it ended (the test wrote the run's row)
// but that keeps going until the test lets it: as a real worker does while it closes its
// connection and its upload is removed. It says 'finished' once `release` appears in its folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

parentPort.postMessage({ type: 'started', runId: Number(workerData.source) });
const release = path.join(workerData.location, 'release');
const timer = setInterval(() => {
  if (!existsSync(release)) return;
  clearInterval(timer);
  parentPort.postMessage({ type: 'finished' });
}, 20);
