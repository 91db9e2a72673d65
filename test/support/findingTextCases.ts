import { readFileSync } from 'node:fs';
import type { IndexedAllocation, Party } from '../../server/chain/allocationIndex.ts';
import { RULES } from '../../server/rules/index.ts';
import type { AuditedComplaint, AuditedMessage, AuditSnapshot, FindingDraft } from '../../server/rules/types.ts';
import { loadCorpus, realWorldSenders, registeredFor } from './realworld.ts';
import { agentParty, audit, CMCC, CUCC, entityParty, grant, message, snapshotOf } from './snapshot.ts';

/**
 * Audits whose findings between them take every shape of text every rule writes: the fixture of
 * test/rules/findingTexts.test.ts, which holds the texts the rules wrote before they stored a code
 * and parameters instead (finding-texts.expected.json). Nothing here depends on the order tests
 * run in: every message and complaint has its own ref, and no id reaches a text or a key.
 */
export interface FindingTextCase {
  name: string;
  snapshot: AuditSnapshot;
  messages: AuditedMessage[];
  complaints: AuditedComplaint[];
}

const A1 = agentParty('91110108MA01AAAA1', '北京一级通信有限公司');
const A2 = agentParty('91310115MA02BBBB2', '上海二级网络科技有限公司');
const A3 = agentParty('91440300MA03CCCC3', '深圳三级信息技术有限公司');
const LONE = agentParty('91440300MA07GGGG7', '广州无证单段代理有限公司');
const MANY = agentParty('91440300MA08HHHH8', '广州无证多段代理有限公司');
const SHOP = entityParty('91330100MA04DDDD4', '杭州某网店有限公司');
const LOGI = entityParty('91330100MA05EEEE5', '杭州某物流有限公司');
const BANK = entityParty('91440300MA06FFFF6', '某银行股份有限公司');
const BARE = entityParty('91440300MA09JJJJ9', '某无签名商贸有限公司');
const EAST = agentParty('91320100MA0NNNNN4', '南京东区通信有限公司');
const WEST = agentParty('91510100MA0PPPPP5', '成都西区通信有限公司');
/** A USCC whose check character is wrong: the valid one ends otherwise. */
const badKey = (party: Party): string => party.key.slice(0, 17) + (party.key[17] === '0' ? '1' : '0');
const BAD_AGENT: Party = { ...agentParty('91110108MA0KKKKK1', '北京校验位错误代理有限公司'), key: '' };
BAD_AGENT.key = badKey(agentParty('91110108MA0KKKKK1', 'x'));
const BAD_ENTITY: Party = { ...entityParty('91110108MA0LLLLL2', '北京校验位错误主体有限公司'), key: '' };
BAD_ENTITY.key = badKey(entityParty('91110108MA0LLLLL2', 'x'));

const at = (day: string) => `${day}T10:00:00+08:00`;

function complaint(ref: string, sender: string, reportedAt: string, lossYuan: number | null): AuditedComplaint {
  const id = Number(ref.replace(/\D/g, '')) + 900_000;
  return { id, ref, sender, reportedAt: new Date(reportedAt), lossYuan, summary: null };
}

/** The allocation tree with every structural rule broken at least once, and traffic under it. */
function treeCase(): FindingTextCase {
  const root = grant('1069012345', CMCC, A1);
  const second = grant('106901234501', A1, A2, { parent: root });
  const undeclared = grant('1069012345012', A2, A3, { parent: second, declared: false });
  const shop = grant('10690123450123', A3, SHOP, { parent: undeclared });
  const logi = grant('106901234502', A1, LOGI, { parent: root });
  const overlapping = grant('1069012345021', A1, BANK, { parent: root, from: '2022-06-01' });
  const bare = grant('106901234503', A1, BARE, { parent: root });
  const otherRoot = grant('10655', CUCC, A1, { filing: null, from: '2022-01-01' });
  const multi = grant('106550', A1, SHOP, { parent: otherRoot, from: '2022-01-01' });
  const lone = grant('1069066', CMCC, LONE);
  const many = ['1069077', '1069078', '1069079', '1069080', '1069081', '1069082', '1069083'].map((prefix) =>
    grant(prefix, CMCC, MANY),
  );
  const badAgent = grant('1069088', CMCC, BAD_AGENT);
  const badEntity = grant('10690881', BAD_AGENT, BAD_ENTITY, { parent: badAgent });
  // One number granted to two entities through two carriers' trees.
  const east = grant('1065906612', CMCC, EAST);
  const west = grant('10659066123', CUCC, WEST);
  const twice = [
    grant('1065906612', EAST, SHOP, { parent: east }),
    grant('10659066123456', WEST, LOGI, { parent: west, from: '2022-04-01' }),
  ];
  const allocations: IndexedAllocation[] = [
    root,
    second,
    undeclared,
    shop,
    logi,
    overlapping,
    bare,
    otherRoot,
    multi,
    lone,
    ...many,
    badAgent,
    badEntity,
    east,
    west,
    ...twice,
  ];
  const snapshot = snapshotOf(allocations, {
    agents: [
      { uscc: LONE.key, licenceNo: null },
      { uscc: MANY.key, licenceNo: null },
    ],
    entities: [
      { uscc: SHOP.key, signatures: ['某网店', 'Shop'] },
      { uscc: LOGI.key, signatures: ['某物流'] },
      { uscc: BANK.key, signatures: ['某银行'] },
      { uscc: BARE.key, signatures: [] },
    ],
    block: ['tax-refund.top'],
    protectedSenders: [
      { name: '济南市公安局交通警察支队', uscc: '11370100004301187D', aliases: ['济南交警'] },
      { name: '中国工商银行股份有限公司', uscc: '91100000100003962T', aliases: ['工商银行'] },
    ],
  });
  const shopNumber = '10690123450123001';
  const messages = [
    message('1069099990000', at('2022-01-01'), '验证码 1234', 'T1'),
    message('10690123458888', at('2022-01-02'), '验证码 5678', 'T2'),
    message(shopNumber, at('2022-01-03'), '【某网店】退款请点 https://tax-refund.top/1 咨询 010-12345678', 'T3'),
    message(shopNumber, at('2022-01-04'), '【某网店】新品上架 t.cn/A6abcd', 'T4'),
    message(shopNumber, at('2022-01-05'), '【某贷款】秒批', 'T5'),
    message(shopNumber, at('2022-01-06'), '【甲商行】活动', 'T6'),
    message(shopNumber, at('2022-01-07'), '【乙商行】活动', 'T7'),
    message(shopNumber, at('2022-01-08'), '【某物流】取件', 'T8'),
    message(shopNumber, at('2022-01-09'), '【某银行】账单', 'T9'),
    message('10690123450311', at('2022-01-10'), '【某商贸】促销', 'T10'),
    message('10690123450312', at('2022-01-11'), '【济南交警】您有违章未处理，请登录 jnjj-pay.top 缴纳罚款', 'T11'),
    message('10690123450313', at('2022-01-12'), '【工商银行】您的账户已冻结，请点击 icbc-safe.top 解冻', 'T12'),
  ];
  const complaints = [
    complaint('C1', '1069099990000', at('2022-02-01'), null),
    complaint('C2', '10690123458888', at('2022-02-02'), 120),
    complaint('C3', shopNumber, at('2022-02-03'), 1000.5),
    complaint('C4', shopNumber, at('2022-02-10'), 20),
    complaint('C5', '10690123450124', at('2022-02-20'), null),
  ];
  return { name: 'tree', snapshot, messages, complaints };
}

interface CaseMessage {
  ref: string;
  content: string;
  registered: { uscc: string; name: string } | null;
}

interface ImpersonationFixture {
  content: string;
  registered: { uscc: string; name: string } | null;
}

/**
 * Messages of the claim and pretext fixtures, each from its own number: registered to the entity
 * the fixture names through one allocation, or from a number nobody held.
 */
function messagesCase(name: string, rows: CaseMessage[], senders: AuditSnapshot['protectedSenders']): FindingTextCase {
  const agent = agentParty('91110108MA0MMMMM3', '北京消息代理有限公司');
  const root = grant('10691', CMCC, agent);
  const allocations: IndexedAllocation[] = [root];
  const entities = new Map<string, Party>();
  const messages = rows.map((row, i) => {
    const number = `10691${String(i).padStart(6, '0')}`;
    if (row.registered === null) {
      return message(`10699${String(i).padStart(6, '0')}`, at('2023-03-01'), row.content, row.ref);
    }
    let entity = entities.get(row.registered.uscc);
    if (!entity) {
      entity = { kind: 'entity', id: 800_000 + entities.size, key: row.registered.uscc, name: row.registered.name };
      entities.set(row.registered.uscc, entity);
    }
    allocations.push(grant(number, agent, entity, { parent: root }));
    return message(number, at('2023-03-01'), row.content, row.ref);
  });
  return { name, snapshot: snapshotOf(allocations, { protectedSenders: [...senders] }), messages, complaints: [] };
}

export function findingTextCases(): FindingTextCase[] {
  const fixtures = new URL('../fixtures/impersonation/', import.meta.url);
  const fixture = (file: string) => JSON.parse(readFileSync(new URL(file, fixtures), 'utf8'));
  const impersonation: ImpersonationFixture[] = fixture('messages.json');
  // Only the part of the real-world corpus the rules were tuned on: the held-out part stays unread.
  const tune = loadCorpus().filter((row) => row.split === 'tune');
  return [
    treeCase(),
    messagesCase(
      'impersonation',
      impersonation.map((row, i) => ({ ref: `I${i + 1}`, ...row })),
      fixture('protected_senders.json'),
    ),
    messagesCase(
      'corpus',
      tune.map((row) => ({ ref: row.id, content: row.text, registered: registeredFor(row) })),
      realWorldSenders,
    ),
    // The fraud texts once more from a number nobody held: the "no registered entity" wording.
    messagesCase(
      'corpus-unheld',
      tune.filter((row) => row.label !== 'legit').map((row) => ({ ref: row.id, content: row.text, registered: null })),
      realWorldSenders,
    ),
  ];
}

/** Every rule's findings in a case. */
export function findingsOf(textCase: FindingTextCase): FindingDraft[] {
  return audit([...RULES], textCase.snapshot, { messages: textCase.messages, complaints: textCase.complaints });
}

/** What tells a case's findings apart: the rule and the key that dedupes it. */
export const findingId = (textCase: FindingTextCase, finding: FindingDraft) =>
  `${textCase.name}|${finding.rule}|${finding.key.join('/')}`;
