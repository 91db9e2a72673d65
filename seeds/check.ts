/**
 * Verifies the demo dataset that seeds/generate.ts wrote:
 *   npx tsx seeds/check.ts [DIR] [--no-rerun]
 * Re-reads the CSV files with an independent parser and asserts what the importer enforces
 * (docs/dataset-format.md) plus what the demo promises (seeds/README.md): every child allocation
 * extends a prefix its holder held on its valid_from and lies within that parent's period, keys are
 * unique, every holder/lessee is known, the deep chains, the reassigned number and the lookups in
 * the README resolve as described. Unless `--no-rerun`, it also runs the generator twice into
 * temporary directories and requires byte-identical output. Exits 1 listing every failure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { isUsccShaped, isValidUscc, ENTITY_KINDS } from '../server/numbering/uscc.ts';
import { normalisePhone } from '../server/numbering/phone.ts';

const seedsDir = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--')) ?? path.join(seedsDir, 'demo');
const failures: string[] = [];
const expect = (ok: unknown, message: string) => {
  if (!ok) failures.push(message);
};

// ------------------------------------------------------------------ reading
const HEADERS: Record<string, string[]> = {
  'carriers.csv': ['code', 'name'],
  'agents.csv': ['uscc', 'name', 'licence_no', 'contact', 'address'],
  'entities.csv': ['uscc', 'name', 'signatures', 'kind'],
  'allocations.csv': ['prefix', 'holder', 'lessee', 'valid_from', 'valid_to', 'miit_filing_no', 'declared'],
  'messages.csv': ['id', 'sender', 'sent_at', 'content', 'recipient'],
  'complaints.csv': ['id', 'sender', 'reported_at', 'received_at', 'loss_yuan', 'region', 'summary'],
  'protected_senders.csv': ['name', 'uscc', 'aliases'],
  'url_lists.csv': ['domain', 'list', 'note'],
};
type Row = Record<string, string>;
/** RFC 4180 as generate.ts writes it: quote only fields holding a comma, quote, CR or LF. */
const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

function read(name: string): Row[] {
  const bytes = readFileSync(path.join(dir, name));
  expect(!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf), `${name}: starts with a BOM`);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    failures.push(`${name}: not valid UTF-8`);
    return [];
  }
  const records: string[][] = parse(text, { bom: false, relax_column_count: false, skip_empty_lines: false });
  const [header, ...rows] = records;
  expect(JSON.stringify(header) === JSON.stringify(HEADERS[name]), `${name}: header is ${JSON.stringify(header)}`);
  // Writing the parsed cells back must give the same bytes: quoting is minimal and correct.
  const rewritten = records.map((r) => r.map(field).join(',')).join('\n') + '\n';
  expect(rewritten === text, `${name}: does not round-trip through RFC 4180 quoting`);
  return rows.map((cells) => Object.fromEntries(header.map((column, i) => [column, cells[i]])));
}
const files = Object.fromEntries(Object.keys(HEADERS).map((name) => [name, read(name)])) as Record<string, Row[]>;
const carriers = files['carriers.csv'];
const agents = files['agents.csv'];
const entities = files['entities.csv'];
const allocations = files['allocations.csv'];
const messages = files['messages.csv'];
const complaints = files['complaints.csv'];
const protectedSenders = files['protected_senders.csv'];
const urlLists = files['url_lists.csv'];

const between = (n: number, low: number, high: number, what: string) =>
  expect(n >= low && n <= high, `${what}: ${n}, expected ${low}–${high}`);
function unique(rows: Row[], key: (row: Row) => string, what: string) {
  const seen = new Set<string>();
  for (const row of rows) {
    const k = key(row);
    expect(!seen.has(k), `${what}: duplicate key ${k}`);
    seen.add(k);
  }
}
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string) => DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}\+08:00$/;
const isTimestamp = (s: string) => TIMESTAMP.test(s) && isDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s));
const PREFIX = /^106\d{2,17}$/;
const SENDER = /^106\d{5,17}$/;

// ------------------------------------------------------------------ carriers, agents, entities
expect(
  JSON.stringify(carriers.map((c) => c.code).sort()) === JSON.stringify(['CBN', 'CMCC', 'CTCC', 'CUCC']),
  'carriers: codes are not CMCC/CUCC/CTCC/CBN',
);
const carrierCodes = new Set(carriers.map((c) => c.code));

unique(agents, (a) => a.uscc, 'agents.csv');
unique(entities, (e) => e.uscc, 'entities.csv');
between(agents.length, 25, 35, 'agents');
between(entities.length, 80, 120, 'entities');
for (const a of agents) {
  expect(
    isUsccShaped(a.uscc) && a.uscc.startsWith('91'),
    `agent ${a.name}: USCC ${a.uscc} is not an 18-character 91… code`,
  );
  expect(
    a.licence_no === '' || /^\p{Script=Han}?B2-\d{8}$/u.test(a.licence_no),
    `agent ${a.name}: licence ${a.licence_no}`,
  );
}
between(agents.filter((a) => !isValidUscc(a.uscc)).length, 1, 2, 'agents with a wrong check character');
between(agents.filter((a) => a.licence_no === '').length, 4, 6, 'agents without a licence');
between(
  agents.filter((a) => a.contact !== '' && a.address !== '').length,
  agents.length - 3,
  agents.length,
  'agents with contact and address',
);
for (const e of entities) {
  expect(isValidUscc(e.uscc), `entity ${e.name}: USCC ${e.uscc} is not valid`);
  expect(
    e.signatures.split('|').every((s) => s.length > 0 && !/[【】]/.test(s)),
    `entity ${e.name}: signatures ${e.signatures}`,
  );
  expect(e.kind === '' || (ENTITY_KINDS as readonly string[]).includes(e.kind), `entity ${e.name}: kind ${e.kind}`);
}
between(entities.filter((e) => e.uscc.startsWith('11')).length, 10, 30, 'government entities (11…)');
between(entities.filter((e) => e.uscc.startsWith('12')).length, 4, 15, 'public institutions (12…)');
between(entities.filter((e) => e.kind !== '').length, 1, 2, 'kind overrides');
const agentByUscc = new Map(agents.map((a) => [a.uscc, a]));
const entityByUscc = new Map(entities.map((e) => [e.uscc, e]));
for (const uscc of agentByUscc.keys()) expect(!entityByUscc.has(uscc), `${uscc} is both an agent and an entity`);
const nameOf = (party: string) => agentByUscc.get(party)?.name ?? entityByUscc.get(party)?.name ?? party;

// ------------------------------------------------------------------ allocations
interface Allocation {
  line: number;
  prefix: string;
  holder: string;
  lessee: string;
  from: string;
  to: string | null;
  filing: string;
  declared: string;
  parent?: Allocation | null;
  level?: number;
}
const grants: Allocation[] = allocations.map((r, i) => ({
  line: i + 2,
  prefix: r.prefix,
  holder: r.holder,
  lessee: r.lessee,
  from: r.valid_from,
  to: r.valid_to || null,
  filing: r.miit_filing_no,
  declared: r.declared,
}));
between(grants.length, 150, 400, 'allocation rows');
unique(allocations, (a) => `${a.prefix}|${a.lessee}|${a.valid_from}`, 'allocations.csv (prefix, lessee, valid_from)');
const heldAt = (a: Allocation, date: string) => a.from <= date && (a.to === null || date <= a.to);
for (const a of grants) {
  const where = `allocations.csv line ${a.line} (${a.prefix})`;
  expect(PREFIX.test(a.prefix), `${where}: prefix is not a 106 number of 5–20 digits`);
  expect(isDate(a.from) && a.from >= '2021-01-01' && a.from <= '2026-10-31', `${where}: valid_from ${a.from}`);
  expect(a.to === null || (isDate(a.to) && a.to >= a.from && a.to <= '2026-10-31'), `${where}: valid_to ${a.to}`);
  expect(a.declared === 'true' || a.declared === 'false', `${where}: declared ${a.declared}`);
  expect(agentByUscc.has(a.lessee) || entityByUscc.has(a.lessee), `${where}: lessee ${a.lessee} is unknown`);
  if (carrierCodes.has(a.holder)) {
    a.parent = null;
    expect(agentByUscc.has(a.lessee), `${where}: a root granted to a non-agent`);
    continue;
  }
  expect(agentByUscc.has(a.holder), `${where}: holder ${a.holder} is neither a carrier nor an agent`);
  // docs/dataset-format.md#parents-and-levels: the parent is the holder's grant with the longest
  // prefix of this prefix held on valid_from (then the latest start).
  const candidates = grants
    .filter((p) => p !== a && p.lessee === a.holder && a.prefix.startsWith(p.prefix) && heldAt(p, a.from))
    .sort((x, y) => y.prefix.length - x.prefix.length || (y.from < x.from ? -1 : y.from > x.from ? 1 : 0));
  const parent = candidates[0] ?? null;
  expect(parent, `${where}: the holder ${nameOf(a.holder)} held no prefix of it on ${a.from}`);
  a.parent = parent;
  if (parent?.to)
    expect(
      a.to !== null && a.to <= parent.to,
      `${where}: ends ${a.to ?? 'never'}, after its parent ${parent.prefix} (${parent.to})`,
    );
}
function levelOf(a: Allocation, depth = 0): number {
  if (a.level !== undefined) return a.level;
  if (depth > 10) {
    failures.push(`allocations.csv line ${a.line}: the chain loops`);
    return 0;
  }
  if (!a.parent) return (a.level = 1);
  const parentLevel = levelOf(a.parent, depth + 1);
  return (a.level = agentByUscc.has(a.lessee) ? parentLevel + 1 : parentLevel);
}
grants.forEach((a) => levelOf(a));
const roots = grants.filter((a) => carrierCodes.has(a.holder));
expect(Math.max(...grants.map((a) => a.level ?? 0)) === 4, 'no chain reaches four agent levels');
between(roots.filter((r) => r.filing === '').length, 2, 3, 'roots without a MIIT filing number');
expect(
  roots.some((r) =>
    roots.some((o) => o !== r && o.lessee === r.lessee && o.from <= (r.to ?? '9999') && r.from <= (o.to ?? '9999')),
  ),
  'no first-level agent holds two segments at once',
);
for (const r of roots)
  for (const o of roots) {
    if (r !== o && r.prefix.startsWith(o.prefix)) failures.push(`roots ${o.prefix} and ${r.prefix} overlap`);
  }
expect(
  grants.some((a) => a.declared === 'false'),
  'no undeclared re-lease',
);
const overlaps = grants.flatMap((a) =>
  grants.filter(
    (b) =>
      a.line < b.line &&
      a.parent &&
      a.parent === b.parent &&
      a.lessee !== b.lessee &&
      (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix)) &&
      a.from <= (b.to ?? '9999') &&
      b.from <= (a.to ?? '9999'),
  ),
);
between(overlaps.length, 2, 10, 'overlapping sibling allocations');
const reassigned = grants.filter((a) =>
  grants.some(
    (b) =>
      b !== a &&
      b.prefix === a.prefix &&
      b.lessee !== a.lessee &&
      entityByUscc.has(a.lessee) &&
      entityByUscc.has(b.lessee),
  ),
);
expect(reassigned.length >= 2, 'no prefix reassigned from one entity to another');

/** Longest-prefix match over the allocations valid on that date: the chain and the entity. */
function resolve(number: string, date: string) {
  const valid = grants
    .filter((a) => number.startsWith(a.prefix) && heldAt(a, date))
    .sort((x, y) => y.prefix.length - x.prefix.length);
  const leaf = valid[0];
  if (!leaf) return { chain: [] as Allocation[], entity: null as string | null, level: 0 };
  const chain: Allocation[] = [];
  for (let a: Allocation | null | undefined = leaf; a; a = a.parent) chain.unshift(a);
  return {
    chain,
    entity: entityByUscc.has(leaf.lessee) ? entityByUscc.get(leaf.lessee)!.name : null,
    level: leaf.level ?? 0,
  };
}

// ------------------------------------------------------------------ messages and complaints
between(messages.length, 2500, 3500, 'messages');
unique(messages, (m) => m.id, 'messages.csv id');
unique(messages, (m) => `${m.sender}|${m.sent_at}|${m.content}`, 'messages.csv (sender, sent_at, content)');
let covered = 0;
let uncovered = 0;
for (const [i, m] of messages.entries()) {
  const where = `messages.csv line ${i + 2}`;
  expect(/^M\d{6}$/.test(m.id), `${where}: id ${m.id}`);
  expect(SENDER.test(m.sender), `${where}: sender ${m.sender}`);
  expect(
    isTimestamp(m.sent_at) && m.sent_at >= '2021-01-01' && m.sent_at < '2026-11-01',
    `${where}: sent_at ${m.sent_at}`,
  );
  expect(m.content.length > 0 && !/[\r\n]/.test(m.content), `${where}: content`);
  expect(normalisePhone(m.recipient).ok, `${where}: recipient ${m.recipient} is not a valid phone number`);
  if (resolve(m.sender, m.sent_at.slice(0, 10)).entity) covered++;
  else uncovered++;
}
expect(
  covered / messages.length >= 0.95,
  `only ${covered} of ${messages.length} messages come from a number with a using entity at the time`,
);
between(uncovered, 20, 100, 'messages from numbers with no using entity at the time');

between(complaints.length, 50, 80, 'complaints');
unique(complaints, (c) => c.id, 'complaints.csv id');
for (const [i, c] of complaints.entries()) {
  const where = `complaints.csv line ${i + 2}`;
  expect(/^C\d{4}$/.test(c.id), `${where}: id ${c.id}`);
  expect(SENDER.test(c.sender), `${where}: sender ${c.sender}`);
  expect(
    isTimestamp(c.reported_at) && isTimestamp(c.received_at) && Date.parse(c.received_at) >= Date.parse(c.reported_at),
    `${where}: reported/received ${c.reported_at} ${c.received_at}`,
  );
  expect(c.loss_yuan === '' || /^\d+(\.\d{1,2})?$/.test(c.loss_yuan), `${where}: loss ${c.loss_yuan}`);
  expect(c.region !== '' && c.summary !== '', `${where}: region or summary empty`);
}

// ------------------------------------------------------------------ protected senders, URL lists
between(protectedSenders.length, 15, 25, 'protected senders');
unique(protectedSenders, (p) => p.name, 'protected_senders.csv name');
for (const p of protectedSenders) {
  const owner = entityByUscc.get(p.uscc);
  expect(
    p.uscc === '' || (owner && owner.name === p.name && p.uscc.startsWith('11')),
    `protected sender ${p.name}: USCC ${p.uscc} is not its government entity`,
  );
}
unique(urlLists, (u) => u.domain, 'url_lists.csv domain');
for (const u of urlLists) {
  expect(u.list === 'allow' || u.list === 'block', `url_lists.csv ${u.domain}: list ${u.list}`);
  expect(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(u.domain),
    `url_lists.csv: ${u.domain} is not a host name`,
  );
}

// ------------------------------------------------------------------ the README's lookups
interface Lookup {
  number: string;
  at: string;
  entity: string | null;
  chain: string[];
}
const lookups: Lookup[] = [
  {
    number: '1069228351067701',
    at: '2022-03-14',
    entity: '深圳市腾跃鑫商贸有限公司',
    chain: [
      'CMCC',
      '北京讯通信息技术有限公司',
      '上海迅联网络科技有限公司',
      '北京汇通科技有限公司',
      '济南鸿信信息技术有限公司',
    ],
  },
  {
    number: '1069228351067701',
    at: '2023-02-01',
    entity: null,
    chain: [
      'CMCC',
      '北京讯通信息技术有限公司',
      '上海迅联网络科技有限公司',
      '北京汇通科技有限公司',
      '济南鸿信信息技术有限公司',
    ],
  },
  {
    number: '10690051826601',
    at: '2022-08-01',
    entity: '上海宏达教育咨询有限公司',
    chain: ['CUCC', '上海云信网络科技有限公司', '杭州智联信息技术有限公司'],
  },
  {
    number: '10690051826601',
    at: '2023-07-01',
    entity: '顺丰速运有限公司',
    chain: ['CUCC', '上海云信网络科技有限公司', '杭州智联信息技术有限公司'],
  },
  {
    number: '10699120112123',
    at: '2024-01-01',
    entity: '北京市公安局公安交通管理局',
    chain: ['CTCC', '北京华信通信技术有限公司'],
  },
  {
    number: '10659066123456',
    at: '2022-06-01',
    entity: '广州市润泽网络科技有限公司',
    chain: ['CTCC', '广州众信网络科技有限公司'],
  },
  {
    number: '10693882047788',
    at: '2022-09-20',
    entity: '济南优品物流有限公司',
    chain: ['CUCC', '上海博讯信息技术有限公司', '上海百川信息技术有限公司'],
  },
  { number: '106909983011234', at: '2024-01-01', entity: null, chain: [] },
];
for (const l of lookups) {
  const found = resolve(l.number, l.at);
  const chain = found.chain.length
    ? [found.chain[0].holder, ...found.chain.filter((a) => agentByUscc.has(a.lessee)).map((a) => nameOf(a.lessee))]
    : [];
  expect(
    found.entity === l.entity && JSON.stringify(chain) === JSON.stringify(l.chain),
    `lookup ${l.number} @ ${l.at}: got ${found.entity} via ${chain.join(' → ')}, README says ${l.entity} via ${l.chain.join(' → ')}`,
  );
}
// The overlapping range also covers 10659066123456 at that moment (NUMBER_MULTI_ENTITY).
expect(
  grants.some(
    (a) =>
      a.prefix === '1065906612' &&
      heldAt(a, '2022-06-01') &&
      entityByUscc.get(a.lessee)?.name === '深圳市远航教育咨询有限公司',
  ),
  'the overlapping range 1065906612 is not held by 深圳市远航教育咨询有限公司',
);
// The traffic-police case: messages in 2022 posing as the police, and the 30,000-yuan complaint.
expect(
  messages.filter(
    (m) => m.sender === '1069228351067701' && m.sent_at.startsWith('2022') && /交警|交通管理局|交管/.test(m.content),
  ).length >= 50,
  'too few traffic-police messages',
);
expect(
  complaints.some((c) => c.sender === '1069228351067701' && c.loss_yuan === '30000'),
  'no 30,000-yuan complaint against the traffic-police number',
);
expect(
  new Set(messages.filter((m) => m.sender === '10693882047788').map((m) => /^【([^】]+)】/.exec(m.content)?.[1]))
    .size >= 5,
  'the hidden re-leasing number carries too few signatures',
);

// ------------------------------------------------------------------ size and determinism
const totalBytes = readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
expect(totalBytes < 2_000_000, `dataset is ${totalBytes} bytes`);
if (!args.includes('--no-rerun')) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sms106-seed-'));
  try {
    for (const run of ['a', 'b']) {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(seedsDir, 'generate.ts'), path.join(tmp, run)], {
        stdio: 'pipe',
      });
    }
    for (const name of Object.keys(HEADERS)) {
      const a = readFileSync(path.join(tmp, 'a', name));
      expect(a.equals(readFileSync(path.join(tmp, 'b', name))), `${name}: two runs of generate.ts differ`);
      expect(
        a.equals(readFileSync(path.join(dir, name))),
        `${name}: ${dir} is not what generate.ts writes now (run it again)`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ verdict
const counts = Object.entries(files)
  .map(([name, rows]) => `${name} ${rows.length}`)
  .join(', ');
if (failures.length) {
  console.error(`seeds/check: ${failures.length} problem(s) in ${dir}:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `seeds/check: ok (${counts}; ${totalBytes} bytes; ${covered} messages resolve to an entity, ${uncovered} do not; max level ${Math.max(...grants.map((a) => a.level ?? 0))})`,
);
