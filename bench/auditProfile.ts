/**
 * The rules alone, for profiling: loads the audit snapshot from a database `npm run bench` left
 * behind (its allocations stay), generates the bench's traffic and times the rules over it as
 * `npm run bench` does (bench/audit.ts), in one thread and split across threads.
 *   node --import tsx [--cpu-prof] bench/auditProfile.ts [--messages N] [--threads N] [--db URL]
 * The database's allocation count decides which numbers the traffic comes from.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../ormconfig.ts';
import { Allocation } from '../server/entities/index.ts';
import { loadSnapshot } from '../server/services/audit/auditRuns.ts';
import { measureAudit } from './audit.ts';
import { generatedMessages } from './traffic.ts';

const { values } = parseArgs({
  options: { messages: { type: 'string' }, db: { type: 'string' }, threads: { type: 'string' } },
});
const dataSource = await openDatabase(
  values.db ?? process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/bench',
);
try {
  const allocations = await dataSource.getRepository(Allocation).count();
  if (allocations < 2000)
    throw new Error(`the database holds ${allocations} allocations: run \`npm run bench\` against it first`);
  const snapshot = await loadSnapshot(dataSource);
  const messages = [...generatedMessages(allocations, Number(values.messages ?? 300_000))];
  const { oneThread, split } = await measureAudit(
    snapshot,
    messages,
    values.threads === undefined ? undefined : Number(values.threads),
  );
  console.log(`${messages.length} messages over ${allocations} allocations, ${oneThread.drafts} findings drafted:`);
  console.log(
    `  one thread ${Math.round(oneThread.perSecond)} msgs/s; ${split.threads} threads ${Math.round(split.perSecond)} msgs/s once started (in ${split.startSeconds.toFixed(2)} s)`,
  );
} finally {
  await dataSource.destroy();
}
