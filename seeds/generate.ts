/**
 * Writes the demo dataset (seeds/demo/*.csv, FORMATS.md) deterministically:
 *   npx tsx seeds/generate.ts [DIR]
 * Same output on every run: a seeded PRNG, fixed dates, no clock. The data is invented but
 * shaped like the field report: carriers grant segments to first-level agents, who re-lease
 * extension ranges down chains up to four agents deep, until a small company with no business
 * sending as the police rents a number and sends as 【某市公安局交通管理局】.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { usccCheckCharacter, USCC_ALPHABET } from '../server/numbering/uscc.ts';

const outputDir = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo');

// ---------------------------------------------------------------- deterministic randomness
let seed = 20221125;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const digits = (count: number) => Array.from({ length: count }, () => between(0, 9)).join('');

// ---------------------------------------------------------------- USCCs
const usedUsccs = new Set<string>();
function makeUscc(authority: string, region: string, wrongCheck = false): string {
  for (;;) {
    const body = authority + region + Array.from({ length: 9 }, () => pick([...USCC_ALPHABET])).join('');
    const check = usccCheckCharacter(body);
    const last = wrongCheck ? USCC_ALPHABET[(USCC_ALPHABET.indexOf(check) + 7) % 31] : check;
    const code = body + last;
    if (!usedUsccs.has(code)) {
      usedUsccs.add(code);
      return code;
    }
  }
}

// ---------------------------------------------------------------- dates
const DAY = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const DATA_END = '2026-10-31';
function timestampBetween(from: string, to: string | null): string {
  const day = between(dayOf(from), dayOf(to ?? DATA_END));
  const time = `${String(between(7, 21)).padStart(2, '0')}:${String(between(0, 59)).padStart(2, '0')}:${String(between(0, 59)).padStart(2, '0')}`;
  return `${dateOf(day)}T${time}+08:00`;
}

// ---------------------------------------------------------------- CSV
function csv(rows: Array<Array<string | number | null>>): string {
  return rows.map((row) => row.map((cell) => {
    const text = cell === null ? '' : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(',')).join('\n') + '\n';
}

// ---------------------------------------------------------------- parties
interface Agent { uscc: string; name: string; licence: string | null; contact: string; address: string }
interface Entity { uscc: string; name: string; signatures: string[]; kind: string | null; region: string }

const regions = [
  { code: '110108', city: '北京', district: '北京市海淀区', prefix: '京' },
  { code: '110105', city: '北京', district: '北京市朝阳区', prefix: '京' },
  { code: '310115', city: '上海', district: '上海市浦东新区', prefix: '沪' },
  { code: '440300', city: '深圳', district: '广东省深圳市南山区', prefix: '粤' },
  { code: '440100', city: '广州', district: '广东省广州市天河区', prefix: '粤' },
  { code: '330100', city: '杭州', district: '浙江省杭州市西湖区', prefix: '浙' },
  { code: '370100', city: '济南', district: '山东省济南市历下区', prefix: '鲁' },
  { code: '510100', city: '成都', district: '四川省成都市高新区', prefix: '川' },
];
const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];
const givenNames = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '涛', '明', '超', '霞'];
const agentWords = ['讯通', '云信', '联达', '汇通', '捷讯', '迅联', '华信', '智联', '易通', '信达', '畅联', '众信', '博讯', '天讯', '鸿信',
  '金讯', '优信', '新通', '瑞讯', '恒联', '广信', '启航', '星链', '云海', '嘉讯', '百川', '中讯', '东方信', '普联', '万通', '聚信', '腾达讯'];
const agentKinds = ['信息技术有限公司', '网络科技有限公司', '通信技术有限公司', '科技有限公司', '数据服务有限公司'];

const agents: Agent[] = agentWords.slice(0, 32).map((word, i) => {
  const region = regions[i % regions.length];
  const unlicensed = [5, 11, 17, 23, 29].includes(i);
  const licence = unlicensed ? null : `${i % 3 === 0 ? '' : region.prefix}B2-${2016 + (i % 8)}${String(1000 + i * 37).padStart(4, '0')}`;
  return {
    uscc: makeUscc('91', region.code, i === 19 || i === 27),
    name: `${region.city}${word}${agentKinds[i % agentKinds.length]}`,
    licence,
    contact: `${pick(surnames)}${pick(givenNames)}${pick(givenNames)} 1${between(30, 89)}${digits(8)}`,
    address: `${region.district}${pick(['中关村大街', '科技园路', '张江路', '天河北路', '文三路', '经十路', '天府大道'])}${between(1, 999)}号`,
  };
});

const governmentBodies: Array<{ name: string; signatures: string[]; aliases: string[]; region: string }> = [
  { name: '北京市公安局公安交通管理局', signatures: ['北京交警', '北京市公安局公安交通管理局'], aliases: ['北京交警', '北京市交管局', '北京交管'], region: '110000' },
  { name: '上海市公安局交通警察总队', signatures: ['上海交警'], aliases: ['上海交警', '上海市交警总队'], region: '310000' },
  { name: '深圳市公安局交通警察局', signatures: ['深圳交警'], aliases: ['深圳交警', '深圳市交警局'], region: '440300' },
  { name: '济南市公安局交通警察支队', signatures: ['济南交警'], aliases: ['济南交警', '济南市交警支队'], region: '370100' },
  { name: '杭州市公安局交通警察支队', signatures: ['杭州交警'], aliases: ['杭州交警'], region: '330100' },
  { name: '公安部交通管理局', signatures: ['交管12123'], aliases: ['交管12123', '12123'], region: '100000' },
  { name: '北京市公安局', signatures: ['北京公安'], aliases: ['北京公安', '北京市公安'], region: '110000' },
  { name: '国家税务总局北京市税务局', signatures: ['北京税务'], aliases: ['北京税务', '北京市税务局'], region: '110000' },
  { name: '国家税务总局上海市税务局', signatures: ['上海税务'], aliases: ['上海税务', '上海市税务局'], region: '310000' },
  { name: '北京市人力资源和社会保障局', signatures: ['北京人社', '北京社保'], aliases: ['北京人社', '北京社保'], region: '110000' },
  { name: '上海市人力资源和社会保障局', signatures: ['上海人社'], aliases: ['上海人社', '上海社保'], region: '310000' },
  { name: '北京市医疗保障局', signatures: ['北京医保'], aliases: ['北京医保'], region: '110000' },
  { name: '广州市医疗保障局', signatures: ['广州医保'], aliases: ['广州医保'], region: '440100' },
  { name: '北京市海淀区人民法院', signatures: ['海淀法院'], aliases: ['海淀法院', '海淀区法院'], region: '110108' },
  { name: '上海市浦东新区人民法院', signatures: ['浦东法院'], aliases: ['浦东法院'], region: '310115' },
  { name: '北京市市场监督管理局', signatures: ['北京市场监管'], aliases: ['北京市场监管', '北京市监局'], region: '110000' },
  { name: '成都市公安局交通管理局', signatures: ['成都交警'], aliases: ['成都交警', '成都市交管局'], region: '510100' },
  { name: '广州市公安局交通警察支队', signatures: ['广州交警'], aliases: ['广州交警'], region: '440100' },
];
const institutions: Array<{ name: string; signatures: string[]; region: string }> = [
  { name: '北京协和医院', signatures: ['北京协和医院'], region: '110000' },
  { name: '复旦大学附属华山医院', signatures: ['华山医院'], region: '310000' },
  { name: '清华大学', signatures: ['清华大学'], region: '110000' },
  { name: '北京市疾病预防控制中心', signatures: ['北京疾控'], region: '110000' },
  { name: '上海市第一人民医院', signatures: ['上海市一医院'], region: '310000' },
  { name: '浙江大学医学院附属第一医院', signatures: ['浙大一院'], region: '330100' },
  { name: '深圳市人民医院', signatures: ['深圳市人民医院'], region: '440300' },
  { name: '山东大学齐鲁医院', signatures: ['齐鲁医院'], region: '370100' },
];
const companies: Array<{ name: string; signatures: string[]; topic: string }> = [
  { name: '招商银行股份有限公司', signatures: ['招商银行'], topic: 'bank' },
  { name: '交通银行股份有限公司北京市分行', signatures: ['交通银行'], topic: 'bank' },
  { name: '中国工商银行股份有限公司北京分行', signatures: ['工商银行'], topic: 'bank' },
  { name: '上海浦东发展银行股份有限公司', signatures: ['浦发银行'], topic: 'bank' },
  { name: '国网北京市电力公司', signatures: ['国家电网', '国网北京电力'], topic: 'power' },
  { name: '北京市自来水集团有限责任公司', signatures: ['北京自来水'], topic: 'water' },
  { name: '顺丰速运有限公司', signatures: ['顺丰速运'], topic: 'logistics' },
  { name: '中通快递股份有限公司', signatures: ['中通快递'], topic: 'logistics' },
  { name: '韵达控股股份有限公司', signatures: ['韵达快递'], topic: 'logistics' },
  { name: '北京京东世纪贸易有限公司', signatures: ['京东'], topic: 'shop' },
  { name: '浙江天猫网络有限公司', signatures: ['天猫'], topic: 'shop' },
  { name: '上海拉扎斯信息科技有限公司', signatures: ['饿了么'], topic: 'shop' },
  { name: '中国东方航空股份有限公司', signatures: ['东方航空'], topic: 'travel' },
  { name: '携程计算机技术（上海）有限公司', signatures: ['携程旅行'], topic: 'travel' },
  { name: '滴滴出行科技有限公司', signatures: ['滴滴出行'], topic: 'travel' },
  { name: '北京爱奇艺科技有限公司', signatures: ['爱奇艺'], topic: 'app' },
  { name: '网易（杭州）网络有限公司', signatures: ['网易'], topic: 'app' },
  { name: '中国平安财产保险股份有限公司', signatures: ['平安保险'], topic: 'insurance' },
];
const smallWords = ['晨曦', '鑫源', '宏达', '佳和', '锦程', '瑞丰', '华美', '腾跃', '盛世', '福瑞', '新锐', '远航', '润泽', '安达', '嘉禾', '骏马',
  '天宇', '金桥', '海纳', '德信', '万家', '优品', '乐购', '聚源', '恒通', '永盛', '祥和', '立信', '广源', '正大', '卓越', '宏图', '银河', '昌盛',
  '金鼎', '鼎盛', '华联', '泰和', '兴旺', '东升', '益民', '信和', '同创', '博远', '凯旋', '长青', '和美', '美佳', '志成', '百合'];
const smallKinds = ['商贸有限公司', '电子商务有限公司', '教育咨询有限公司', '网络科技有限公司', '物流有限公司', '餐饮管理有限公司', '健身服务有限公司', '房地产经纪有限公司'];

const entities: Entity[] = [];
const govEntities = governmentBodies.map((body) => {
  const entity: Entity = { uscc: makeUscc('11', body.region), name: body.name, signatures: body.signatures, kind: null, region: body.region };
  entities.push(entity);
  return entity;
});
for (const institution of institutions) entities.push({ uscc: makeUscc('12', institution.region), name: institution.name, signatures: institution.signatures, kind: null, region: institution.region });
const bigCompanies = companies.map((company) => {
  const entity: Entity = { uscc: makeUscc('91', pick(regions).code), name: company.name, signatures: company.signatures, kind: null, region: '' };
  entities.push(entity);
  return { ...company, entity };
});
const smallCompanies = smallWords.map((word, i) => {
  const region = regions[i % regions.length];
  const name = `${region.city}${word}${smallKinds[i % smallKinds.length]}`;
  const entity: Entity = { uscc: makeUscc('91', region.code), name, signatures: [`${word}${i % 2 ? '优选' : ''}`], kind: null, region: region.code };
  entities.push(entity);
  return entity;
});
// A public-interest foundation registered by civil affairs (5…) and a staff override of its class.
entities.push({ uscc: makeUscc('53', '110000'), name: '北京市慈善基金会', signatures: ['北京慈善'], kind: null, region: '110000' });
entities.push({ uscc: makeUscc('91', '110000'), name: '北京市公交集团有限公司', signatures: ['北京公交'], kind: 'institution', region: '110000' });
// The company in the traffic-police case: a small trading firm, nothing to do with the police.
const fraudFront: Entity = { uscc: makeUscc('91', '440300'), name: '深圳市腾跃鑫商贸有限公司', signatures: ['腾跃鑫'], kind: null, region: '440300' };
entities.push(fraudFront);
const tutoring = smallCompanies[2];

// ---------------------------------------------------------------- the allocation tree
interface Allocation { prefix: string; holder: string; lessee: string; from: string; to: string | null; filing: string | null; declared: boolean }
interface Leaf { number: string; entity: Entity; from: string; to: string | null; chain: string[] }
const allocations: Allocation[] = [];
const leaves: Leaf[] = [];
const usedPrefixes = new Set<string>();

function grant(prefix: string, holder: string, lessee: string, from: string, to: string | null, options: { filing?: string | null; declared?: boolean } = {}): Allocation {
  usedPrefixes.add(prefix);
  const allocation = { prefix, holder, lessee, from, to, filing: options.filing ?? null, declared: options.declared ?? true };
  allocations.push(allocation);
  return allocation;
}

function freshExtension(base: string, length: number): string {
  for (;;) {
    const prefix = base + digits(length);
    if (![...usedPrefixes].some((p) => p.startsWith(prefix) || prefix.startsWith(p) && p !== base && p.length > base.length)) return prefix;
  }
}

/** Grants numbers under `parent` to entities: each a full number (base + extension). */
function grantNumbers(parent: Allocation, count: number, pool: Entity[], chain: string[]): void {
  for (let i = 0; i < count; i++) {
    const entity = pick(pool);
    const number = freshExtension(parent.prefix, Math.max(2, 14 - parent.prefix.length));
    const from = dateOf(between(Math.max(dayOf(parent.from), dayOf('2021-01-01')) + 10, dayOf('2024-06-30')));
    const to = random() < 0.15 ? dateOf(between(dayOf(from) + 90, dayOf('2026-06-30'))) : null;
    const bounded = parent.to && (!to || to > parent.to) ? parent.to : to;
    grant(number, parent.lessee, entity.uscc, from, bounded, { declared: true });
    leaves.push({ number, entity, from, to: bounded, chain });
  }
}

const carriers = [
  { code: 'CMCC', name: '中国移动', bases: ['10690', '10692', '10657'] },
  { code: 'CUCC', name: '中国联通', bases: ['10690', '10693', '10655'] },
  { code: 'CTCC', name: '中国电信', bases: ['10690', '10691', '10659'] },
  { code: 'CBN', name: '中国广电', bases: ['10692'] },
];

const ordinaryPool = [...bigCompanies.map((c) => c.entity), ...smallCompanies, ...entities.filter((e) => e.uscc.startsWith('12'))];
const firstLevel = agents.slice(0, 14);
const secondLevel = agents.slice(14, 24);
const thirdLevel = agents.slice(24, 30);
const fourthLevel = agents.slice(30, 32);
const roots: Allocation[] = [];
firstLevel.forEach((agent, i) => {
  const carrier = carriers[i % 4 === 3 ? 3 : i % 3];
  const root = grant(freshExtension(pick(carrier.bases), carrier.code === 'CBN' ? 4 : 3), carrier.code, agent.uscc,
    dateOf(dayOf('2021-01-01') + i * 11), null, { filing: [4, 9].includes(i) ? null : `${carrier.code}-2021-${String(150 + i * 7).padStart(4, '0')}` });
  roots.push(root);
});
// "One agent, one segment" broken: the first agent also holds a second segment from the same carrier.
roots.push(grant(freshExtension('10692', 3), 'CMCC', firstLevel[0].uscc, '2022-05-01', null, { filing: 'CMCC-2022-0321' }));

// Every first-level agent serves customers directly.
for (const root of roots) grantNumbers(root, between(4, 8), ordinaryPool, [root.prefix]);
// Government senders get their numbers through well-run first-level agents (level 1).
for (const [i, gov] of govEntities.entries()) {
  const root = roots[[1, 2, 3, 5][i % 4]];
  const number = freshExtension(root.prefix, 14 - root.prefix.length);
  grant(number, root.lessee, gov.uscc, '2021-03-01', null);
  leaves.push({ number, entity: gov, from: '2021-03-01', to: null, chain: [root.prefix] });
}

// Re-leasing: second-level agents get extension ranges from first-level ones, some never declared.
const levelTwo: Allocation[] = secondLevel.map((agent, i) => {
  const parent = roots[i % 12];
  const release = grant(freshExtension(parent.prefix, 2), parent.lessee, agent.uscc, dateOf(dayOf(parent.from) + 120 + i * 5), null, { declared: i % 3 !== 0 });
  grantNumbers(release, between(3, 7), ordinaryPool, [parent.prefix, release.prefix]);
  return release;
});
const levelThree: Allocation[] = thirdLevel.map((agent, i) => {
  const parent = levelTwo[i];
  const release = grant(freshExtension(parent.prefix, 1), parent.lessee, agent.uscc, dateOf(dayOf(parent.from) + 60), null, { declared: i % 2 === 0 });
  grantNumbers(release, between(2, 5), smallCompanies, [release.prefix]);
  return release;
});
// The article's chain: carrier → first-level → second-level → third-level → fourth-level → a
// trading firm that sends as the traffic police.
const fourth = grant(freshExtension(levelThree[0].prefix, 1), levelThree[0].lessee, fourthLevel[0].uscc, '2021-11-01', '2023-12-31', { declared: false });
const fraudNumber = `${fourth.prefix}${digits(14 - fourth.prefix.length)}`.slice(0, 14);
grant(fraudNumber, fourth.lessee, fraudFront.uscc, '2022-01-10', '2022-12-31');
leaves.push({ number: fraudNumber, entity: fraudFront, from: '2022-01-10', to: '2022-12-31', chain: [fourth.prefix] });
const fourthB = grant(freshExtension(levelThree[1].prefix, 1), levelThree[1].lessee, fourthLevel[1].uscc, '2022-02-01', null, { declared: false });
grantNumbers(fourthB, 3, smallCompanies, [fourthB.prefix]);

// A number reassigned halfway: a tutoring firm until mid-2023, then a logistics company.
const reassignParent = levelTwo[1];
const reassigned = freshExtension(reassignParent.prefix, 14 - reassignParent.prefix.length);
const logistics = bigCompanies.find((c) => c.signatures[0] === '顺丰速运')!.entity;
grant(reassigned, reassignParent.lessee, tutoring.uscc, '2022-01-01', '2023-06-30');
grant(reassigned, reassignParent.lessee, logistics.uscc, '2023-07-01', null);
leaves.push({ number: reassigned, entity: tutoring, from: '2022-01-01', to: '2023-06-30', chain: [] });
leaves.push({ number: reassigned, entity: logistics, from: '2023-07-01', to: null, chain: [] });

// Overlapping siblings under one agent (data integrity finding): a range and a number inside it.
const overlapParent = roots[5];
const wide = freshExtension(overlapParent.prefix, 3);
grant(wide, overlapParent.lessee, smallCompanies[10].uscc, '2022-03-01', null);
grant(`${wide}${digits(14 - wide.length)}`, overlapParent.lessee, smallCompanies[11].uscc, '2022-04-01', null);

// Hidden re-leasing: one number handed to an "entity" whose traffic carries many unrelated brands.
const hiddenParent = levelTwo[4];
const hiddenNumber = freshExtension(hiddenParent.prefix, 14 - hiddenParent.prefix.length);
grant(hiddenNumber, hiddenParent.lessee, smallCompanies[20].uscc, '2021-09-01', null);

// ---------------------------------------------------------------- messages
const recipients = () => `1${pick(['38', '39', '35', '36', '37', '50', '51', '52', '58', '59', '86', '87', '88', '30', '31', '32', '55', '56', '77', '80', '89'])}${digits(8)}`;
const code6 = () => digits(6);
const sign = (name: string) => `【${name}】`;
const topics: Record<string, Array<(s: string) => string>> = {
  bank: [(s) => `${sign(s)}您尾号${digits(4)}的储蓄卡于${between(1, 12)}月${between(1, 28)}日消费人民币${between(10, 5000)}.00元，余额请登录手机银行查询。`,
    (s) => `${sign(s)}您的动态验证码为${code6()}，5分钟内有效，请勿告诉他人。`],
  power: [(s) => `${sign(s)}尊敬的客户，您户号${digits(10)}本期电费${between(50, 600)}.${digits(2)}元，请于本月25日前缴纳。`],
  water: [(s) => `${sign(s)}您户号${digits(8)}的本期水费为${between(20, 200)}元，可通过银行或线上渠道缴纳。`],
  logistics: [(s) => `${sign(s)}您的快件${digits(12)}已到达驿站，取件码${digits(4)}，请及时领取。`,
    (s) => `${sign(s)}您的快件正在派送中，快递员电话1${between(30, 89)}${digits(8)}。`],
  shop: [(s) => `${sign(s)}您的订单已发货，可在App中查看物流。退订回T`, (s) => `${sign(s)}会员日满199减50，详情见App。退订回T`],
  travel: [(s) => `${sign(s)}您预订的航班/行程已确认，请提前到达。`, (s) => `${sign(s)}您的验证码是${code6()}。`],
  app: [(s) => `${sign(s)}验证码${code6()}，用于登录，请勿泄露。`],
  insurance: [(s) => `${sign(s)}您的车险将于30天后到期，续保请联系客服95511。`],
  small: [(s) => `${sign(s)}您的验证码为${code6()}，10分钟内有效。`, (s) => `${sign(s)}本周末全场八折，欢迎光临。退订回T`],
  gov: [(s) => `${sign(s)}您的机动车于${between(1, 12)}月${between(1, 28)}日有一条交通违法记录，请通过交管12123 App查询处理。`,
    (s) => `${sign(s)}温馨提示：请按时办理年度业务，谨防冒充公检法诈骗。`],
  institution: [(s) => `${sign(s)}您已成功预约${between(1, 28)}日门诊，请携带身份证按时就诊。`],
};
const topicOf = (entity: Entity) => {
  const company = bigCompanies.find((c) => c.entity === entity);
  if (company) return company.topic;
  if (entity.uscc.startsWith('11')) return 'gov';
  if (entity.uscc.startsWith('12')) return 'institution';
  return 'small';
};

const messages: Array<[string, string, string, string, string | null]> = [];
let messageCount = 0;
const addMessage = (sender: string, sentAt: string, content: string, recipient: string | null = recipients()) => {
  messages.push([`M${String(++messageCount).padStart(6, '0')}`, sender, sentAt, content, recipient]);
};

// Ordinary traffic: each leaf sends what its entity would send, while it holds the number.
for (let i = 0; i < 2500; i++) {
  const leaf = pick(leaves);
  if (leaf.entity === fraudFront) continue;
  addMessage(leaf.number, timestampBetween(leaf.from, leaf.to), pick(topics[topicOf(leaf.entity)])(pick(leaf.entity.signatures)));
}
// The traffic-police case: the trading firm's number, in 2022, signed as the police in many disguises.
const lures = [
  (s: string) => `${s}您的驾驶证即将被扣满12分，请登录 http://jgjs-12123.cc/kf 处理，逾期将吊销。`,
  (s: string) => `${s}科目三考试预约名额已开放，缴费后优先安排，点击 t.cn/A6x${digits(4)} 办理。`,
  (s: string) => `您有一条未处理的违章记录，请于三日内处理，详见 dwz.cn/${digits(6)} ${s}`,
  (s: string) => `这里是济南交警支队，您的车辆存在违法未处理，请回拨0531-${digits(8)}核实。`,
  (s: string) => `${s}驾考预约：您的预约已失败，需重新缴纳押金，联系客服：1${between(30, 89)}${digits(8)}`,
];
const disguises = ['【某市公安局交通管理局】', '【济南交警】', '【济南市公安局交通警察支队】', '【济 南 交 警】', '【济南交警\u200b】', '［济南交警］',
  '【濟南交警】', '【济南市公安局交通管理局】', '【交管12123】', '【北京交警】', '【北京市公安局交通管理局】', '【北京市公安局公安交通管理局】'];
for (let i = 0; i < 80; i++) addMessage(fraudNumber, timestampBetween('2022-01-10', '2022-12-31'), pick(lures)(pick(disguises)));
// Impersonation of tax, social security and courts from ordinary companies' numbers.
const otherLures = [
  '【国家税务总局】您的个人所得税退税已审核通过，请点击 url.cn/t${n} 领取。',
  '【國家稅務總局】您有一笔退税待领取，点击 https://tax-refund.top/${n} 办理。',
  '【北京社保】您的社保卡将于今日冻结，请尽快登录 bj-shebao.vip 解冻。',
  '北京市海淀区人民法院通知您：您涉及一宗诉讼，请回电010-${n}。',
  '【北京医保】您的医保账户异常，请点击 t.cn/B${n} 核实。',
  '【浦東法院】传票已送达，请及时查看 dwz.cn/${n}',
];
const smallLeaves = leaves.filter((leaf) => leaf.entity.uscc.startsWith('91') && leaf.entity !== fraudFront);
for (let i = 0; i < 40; i++) {
  const leaf = pick(smallLeaves);
  addMessage(leaf.number, timestampBetween(leaf.from, leaf.to), pick(otherLures).replace('${n}', digits(6)));
}
// Near misses: texts that mention government bodies without claiming to be one.
const nearMisses: Array<[Entity, string]> = [
  [bigCompanies.find((c) => c.signatures[0] === '交通银行')!.entity, '【交通银行】您的信用卡本期账单已出，最低还款额请登录App查询。'],
  [bigCompanies.find((c) => c.signatures[0] === '国家电网')!.entity, '【国家电网】您本月电费已出账，请按时缴纳。'],
  [bigCompanies.find((c) => c.signatures[0] === '招商银行')!.entity, '【招商银行】提醒：谨防冒充公检法诈骗，公安机关不会通过电话要求转账。'],
  [bigCompanies.find((c) => c.signatures[0] === '顺丰速运')!.entity, '【顺丰速运】您寄往北京市公安局公安交通管理局的文件已签收。'],
];
for (let i = 0; i < 30; i++) {
  const [entity, text] = pick(nearMisses);
  const leaf = leaves.find((l) => l.entity === entity);
  if (leaf) addMessage(leaf.number, timestampBetween(leaf.from, leaf.to), text);
}
// Hidden re-leasing: one number, many brands.
const brands = ['乐享贷', '速借宝', '鑫游戏', '好运彩', '美颜相机会员', '京东', '天猫', '招商银行'];
for (let i = 0; i < 60; i++) addMessage(hiddenNumber, timestampBetween('2021-09-01', null), `${sign(pick(brands))}您的验证码为${code6()}，请勿泄露。`);
// Numbers nobody held at the time: expired grants and never-allocated numbers.
for (let i = 0; i < 25; i++) addMessage(`10699${digits(9)}`, timestampBetween('2022-01-01', null), `【${pick(['顺丰速运', '中国移动', '京东'])}】您的包裹地址异常，请点击 t.cn/${digits(5)} 更新。`);
messages.sort((a, b) => a[2].localeCompare(b[2]) || a[0].localeCompare(b[0]));
messages.forEach((message, i) => { message[0] = `M${String(i + 1).padStart(6, '0')}`; });

// ---------------------------------------------------------------- complaints
const complaints: Array<[string, string, string, string | null, string | null, string, string]> = [];
const regionNames = ['北京市海淀区', '北京市朝阳区', '山东省济南市历下区', '广东省深圳市南山区', '上海市浦东新区', '浙江省杭州市西湖区'];
const addComplaint = (sender: string, reported: string, loss: string | null, summary: string) => {
  const received = dateOf(dayOf(reported.slice(0, 10)) + between(0, 5));
  complaints.push([`C${String(complaints.length + 1).padStart(4, '0')}`, sender, reported, received, loss, pick(regionNames), summary]);
};
addComplaint(fraudNumber, '2022-03-16T10:20:00+08:00', '30000', '受害人收到【某市公安局交通管理局】短信称可预约驾考，点击链接缴纳“押金”后被骗 3 万元。');
for (let i = 0; i < 14; i++) {
  addComplaint(fraudNumber, timestampBetween('2022-02-01', '2023-03-31'), random() < 0.6 ? String(between(500, 20000)) : null,
    pick(['冒充交警发送违章处理短信，诱导点击短链接', '自称交警支队要求回拨电话，索要验证码', '驾考预约诈骗，要求转账缴费']));
}
for (let i = 0; i < 20; i++) {
  const leaf = pick(smallLeaves);
  addComplaint(leaf.number, timestampBetween(leaf.from, leaf.to), random() < 0.4 ? `${between(100, 9000)}.${pick(['00', '50'])}` : null,
    pick(['冒充税务局发送退税短信', '冒充社保局称社保卡冻结', '收到法院传票短信，要求转账', '营销短信无法退订']));
}
for (let i = 0; i < 10; i++) addComplaint(hiddenNumber, timestampBetween('2022-01-01', null), random() < 0.5 ? String(between(1000, 50000)) : null, '网贷催收及贷款诈骗短信，签名每天不同');
for (let i = 0; i < 8; i++) addComplaint(`10699${digits(9)}`, timestampBetween('2022-01-01', null), null, '号码无法查到归属，发送钓鱼链接');
complaints.sort((a, b) => a[2].localeCompare(b[2]));
complaints.forEach((complaint, i) => { complaint[0] = `C${String(i + 1).padStart(4, '0')}`; });

// ---------------------------------------------------------------- write
mkdirSync(outputDir, { recursive: true });
const write = (name: string, rows: Array<Array<string | number | null>>) => writeFileSync(path.join(outputDir, name), csv(rows));
write('carriers.csv', [['code', 'name'], ...carriers.map((c) => [c.code, c.name])]);
write('agents.csv', [['uscc', 'name', 'licence_no', 'contact', 'address'], ...agents.map((a) => [a.uscc, a.name, a.licence, a.contact, a.address])]);
write('entities.csv', [['uscc', 'name', 'signatures', 'kind'], ...entities.map((e) => [e.uscc, e.name, e.signatures.join('|'), e.kind])]);
write('allocations.csv', [['prefix', 'holder', 'lessee', 'valid_from', 'valid_to', 'miit_filing_no', 'declared'],
  ...allocations.map((a) => [a.prefix, a.holder, a.lessee, a.from, a.to, a.filing, a.declared ? 'true' : 'false'])]);
write('messages.csv', [['id', 'sender', 'sent_at', 'content', 'recipient'], ...messages]);
write('complaints.csv', [['id', 'sender', 'reported_at', 'received_at', 'loss_yuan', 'region', 'summary'], ...complaints]);
write('protected_senders.csv', [['name', 'uscc', 'aliases'], ...governmentBodies.map((body, i) => [body.name, govEntities[i].uscc, body.aliases.join('|')])]);
write('url_lists.csv', [['domain', 'list', 'note'],
  ['12123.gov.cn', 'allow', '公安部交通安全综合服务管理平台'], ['cmbchina.com', 'allow', '招商银行官网'], ['95598.cn', 'allow', '国家电网'],
  ['sf-express.com', 'allow', '顺丰速运'], ['t.cn', 'block', '公共短链接：未登记使用'], ['dwz.cn', 'block', '公共短链接'], ['url.cn', 'block', '公共短链接'],
  ['jgjs-12123.cc', 'block', '仿冒交管12123'], ['tax-refund.top', 'block', '仿冒税务退税'], ['bj-shebao.vip', 'block', '仿冒社保']]);

// The lookups seeds/README.md describes.
console.log(JSON.stringify({
  fraudNumber, fraudChain: [roots[0].prefix, levelTwo[0].prefix, levelThree[0].prefix, fourth.prefix],
  reassigned, hiddenNumber, overlap: wide, govNumber: leaves.find((l) => l.entity === govEntities[0])!.number,
  counts: { agents: agents.length, entities: entities.length, allocations: allocations.length, messages: messages.length, complaints: complaints.length },
}, null, 2));
