/**
 * Throughput of claim detection (server/rules/claims) over the labelled impersonation fixture,
 * repeated to --messages N (default 400,000) messages, on one core:
 *   node --import tsx bench/claims.ts [--messages N]
 * The audit as a whole must reach about 200,000 messages/s on two cores, so claims() alone
 * should be well above 100,000/s on one. The fixture is harder than real traffic (most rows
 * carry a disguise or a self-identification); the seed's demo messages are measured too.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  ClaimDetector,
  impersonation,
  type ProtectedSenderRef,
  type RegisteredEntity,
} from '../server/rules/claims/index.ts';

const { values } = parseArgs({ options: { messages: { type: 'string' } } });
const count = Number(values.messages ?? 400_000);

const fixture = new URL('../test/fixtures/impersonation/', import.meta.url);
const protectedSenders: ProtectedSenderRef[] = JSON.parse(
  readFileSync(new URL('protected_senders.json', fixture), 'utf8'),
);
const rows: { content: string; registered: RegisteredEntity | null }[] = JSON.parse(
  readFileSync(new URL('messages.json', fixture), 'utf8'),
);
const demo = readFileSync(new URL('../seeds/demo/messages.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').slice(3, -1).join(','));

const started = performance.now();
const detector = new ClaimDetector(protectedSenders);
console.log(`ClaimDetector built in ${(performance.now() - started).toFixed(0)} ms (fold table and protected names)`);

function measure(label: string, contents: readonly string[], run: (index: number) => number): void {
  for (let i = 0; i < 20_000; i++) run(i % contents.length); // warm-up
  const start = performance.now();
  let found = 0;
  for (let i = 0; i < count; i++) found += run(i % contents.length);
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${label}: ${count.toLocaleString('en')} messages in ${seconds.toFixed(2)} s = ${Math.round(count / seconds).toLocaleString('en')} messages/s (${found} results)`,
  );
}

const fixtureContents = rows.map((row) => row.content);
measure('claims(), fixture', fixtureContents, (i) => detector.claims(fixtureContents[i]).length);
measure('impersonation(), fixture', fixtureContents, (i) =>
  impersonation(detector, rows[i].content, rows[i].registered) === null ? 0 : 1,
);
measure('claims(), demo messages', demo, (i) => detector.claims(demo[i]).length);
