/**
 * Throughput of the SUSPICIOUS_URL text analysis (findUrls + suspiciousUrls) on one core, over
 * the demo messages multiplied to a realistic volume. The audit's target is ~200,000 messages/s
 * on 2 cores, so one core has to do well over 100,000.
 *   node --import tsx bench/urls.ts [--messages N] [--rounds N]
 * Each copy of a demo message gets its digits redrawn, so the texts are distinct strings (as real
 * traffic is) while keeping the demo's mix of plain notices, short links and fraud URLs.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { findUrls, suspiciousUrls, type UrlLists } from '../server/rules/text/urls.ts';

const { values } = parseArgs({ options: { messages: { type: 'string' }, rounds: { type: 'string' } } });
const messageCount = Number(values.messages ?? 200_000);
const rounds = Number(values.rounds ?? 5);

const demo = new URL('../seeds/demo/', import.meta.url);
const contents = (
  parse(readFileSync(new URL('messages.csv', demo)), { columns: true }) as Array<{ content: string }>
).map((row) => row.content);
const listRows = parse(readFileSync(new URL('url_lists.csv', demo)), { columns: true }) as Array<{
  domain: string;
  list: string;
}>;
const lists: UrlLists = {
  allow: new Set(listRows.filter((row) => row.list === 'allow').map((row) => row.domain)),
  block: new Set(listRows.filter((row) => row.list === 'block').map((row) => row.domain)),
  shortLink: new Set(),
};

/** mulberry32: deterministic, so every run measures the same texts. */
let seed = 106;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const messages: string[] = [];
for (let index = 0; index < messageCount; index++) {
  messages.push(contents[index % contents.length]!.replace(/[0-9]/g, () => String(Math.floor(random() * 10))));
}

let withUrls = 0;
let flagged = 0;
for (const message of messages) {
  if (findUrls(message).length > 0) withUrls++;
  if (suspiciousUrls(message, lists).length > 0) flagged++;
}

function measure(label: string, analyse: (message: string) => unknown, sample: readonly string[] = messages): void {
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    for (const message of sample) analyse(message);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(sample.length / seconds);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  console.log(
    `${label}: median ${Math.round(median).toLocaleString('en')} messages/s (rounds: ${rates.map((rate) => Math.round(rate / 1000) + 'k').join(' ')})`,
  );
}

console.log(
  `${messages.length.toLocaleString('en')} messages from ${contents.length} demo texts; ${withUrls} with a URL, ${flagged} flagged`,
);
measure('findUrls', findUrls);
measure('suspiciousUrls (includes findUrls)', (message) => suspiciousUrls(message, lists));
const bothCalled = (message: string) => {
  findUrls(message);
  suspiciousUrls(message, lists);
};
measure('findUrls + suspiciousUrls (both called)', bothCalled);
// The precheck makes URL-free messages nearly free; this is the cost where the real work happens.
const urlBearing = messages.filter((message) => findUrls(message).length > 0);
measure(`findUrls + suspiciousUrls, only the ${urlBearing.length} messages with a URL`, bothCalled, urlBearing);
