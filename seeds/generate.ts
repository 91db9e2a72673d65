/**
 * Writes the demo dataset (seeds/demo/*.csv, the interchange format of docs/dataset-format.md):
 *   npx tsx seeds/generate.ts [DIR]
 * Every run writes the same bytes: one seeded PRNG (mulberry32), fixed dates, no clock, and
 * the rows are built in a fixed order. The data is invented but shaped like the field report
 * (docs/domain.md#the-problem): carriers grant segments (号段) to first-level agents, who
 * re-lease extension ranges (转租) down chains up to four agents deep, until a trading company
 * with no business sending as the police rents 1069228351067701 and sends as
 * 【某市公安局交通管理局】 ("驾考预约"), and a victim loses 30,000 yuan.
 *
 * The special cases the README's lookup table relies on use fixed numbers; everything around
 * them is drawn from the PRNG. `npx tsx seeds/check.ts` verifies the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { usccCheckCharacter, USCC_ALPHABET } from '../server/numbering/uscc.ts';

const outputDir = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo');

// ------------------------------------------------------------------ deterministic randomness
/** mulberry32: small, fast, and the same sequence on every platform. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20221125);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const digits = (count: number) => Array.from({ length: count }, () => between(0, 9)).join('');
const chance = (p: number) => random() < p;

// ------------------------------------------------------------------ dates (UTC arithmetic on calendar days)
const DAY = 86_400_000;
const FIRST_DAY = '2021-01-01';
const LAST_DAY = '2026-10-31';
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => dateOf(dayOf(date) + days);
const minDate = (a: string, b: string) => (a < b ? a : b);
const dateBetween = (from: string, to: string) => dateOf(between(dayOf(from), dayOf(to)));
const pad2 = (n: number) => String(n).padStart(2, '0');
/** A Beijing-time timestamp on a day in [from, to] (inclusive), during waking hours. */
function timestampBetween(from: string, to: string | null, hours: [number, number] = [7, 22]): string {
  const day = dateBetween(from, minDate(to ?? LAST_DAY, LAST_DAY));
  return `${day}T${pad2(between(hours[0], hours[1]))}:${pad2(between(0, 59))}:${pad2(between(0, 59))}+08:00`;
}
const timestampAfter = (timestamp: string, minMinutes: number, maxMinutes: number) => {
  const instant = new Date(Date.parse(timestamp) + between(minMinutes, maxMinutes) * 60_000 + 8 * 3_600_000);
  return `${instant.toISOString().slice(0, 19)}+08:00`;
};

// ------------------------------------------------------------------ CSV (RFC 4180 quoting, LF line ends, no BOM)
type Cell = string | number | null;
function csv(header: string[], rows: Cell[][]): string {
  const field = (cell: Cell) => {
    const text = cell === null ? '' : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}

// ------------------------------------------------------------------ USCCs (GB 32100-2015)
const usedUsccs = new Set<string>();
/**
 * A USCC: registering authority + category (`91` company, `11` government organ, `12` public
 * institution, `53` foundation), 6-digit region, 9-character organisation code, check character.
 * Companies registered since 2015 get `MA…` organisation codes; older bodies a numeric one.
 */
function makeUscc(category: string, region: string, options: { wrongCheck?: boolean } = {}): string {
  const alphabet = [...USCC_ALPHABET];
  for (;;) {
    const organisation =
      category === '91'
        ? `MA${pick(['0', '1', '2', '5', '6'])}${Array.from({ length: 6 }, () => pick(alphabet)).join('')}`
        : `${digits(8)}${pick([...'0123456789X'])}`;
    const first17 = category + region + organisation;
    const check = usccCheckCharacter(first17);
    // A typo in the last character: what a careless agent's paperwork looks like.
    const last = options.wrongCheck ? USCC_ALPHABET[(USCC_ALPHABET.indexOf(check) + 7) % 31] : check;
    const uscc = first17 + last;
    if (!usedUsccs.has(uscc)) {
      usedUsccs.add(uscc);
      return uscc;
    }
  }
}

// ------------------------------------------------------------------ people and places
const surnames = [...'王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾肖田董袁潘'];
const givenNames = [...'伟芳娜敏静强磊洋艳勇军杰涛明超霞平刚桂英华玉兰红建国志文斌浩宇晨'];
const personName = () => `${pick(surnames)}${pick(givenNames)}${chance(0.7) ? pick(givenNames) : ''}`;
// Mobile ranges libphonenumber-js (full metadata) accepts as valid CN mobiles.
const mobilePrefixes = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '182',
  '183',
  '187',
  '188',
  '130',
  '131',
  '132',
  '155',
  '156',
  '185',
  '186',
  '133',
  '153',
  '180',
  '181',
  '189',
  '177',
  '199',
];
const mobile = () => `${pick(mobilePrefixes)}${digits(8)}`;

interface Region {
  code: string;
  city: string;
  district: string;
  streets: string[];
}
const regions: Record<string, Region> = {
  haidian: {
    code: '110108',
    city: '北京',
    district: '北京市海淀区',
    streets: ['中关村大街', '知春路', '上地信息路', '学院路'],
  },
  chaoyang: { code: '110105', city: '北京', district: '北京市朝阳区', streets: ['望京街', '酒仙桥路', '建国路'] },
  pudong: {
    code: '310115',
    city: '上海',
    district: '上海市浦东新区',
    streets: ['张江路', '碧波路', '世纪大道', '金科路'],
  },
  shenzhen: {
    code: '440300',
    city: '深圳',
    district: '广东省深圳市南山区',
    streets: ['科技园南路', '深南大道', '高新南一道'],
  },
  guangzhou: {
    code: '440100',
    city: '广州',
    district: '广东省广州市天河区',
    streets: ['天河北路', '珠江东路', '黄埔大道'],
  },
  hangzhou: { code: '330100', city: '杭州', district: '浙江省杭州市西湖区', streets: ['文三路', '西溪路', '古墩路'] },
  jinan: { code: '370100', city: '济南', district: '山东省济南市历下区', streets: ['经十路', '泉城路', '解放路'] },
  chengdu: {
    code: '510100',
    city: '成都',
    district: '四川省成都市高新区',
    streets: ['天府大道', '益州大道', '府城大道'],
  },
};
const address = (region: Region) =>
  `${region.district}${pick(region.streets)}${between(1, 999)}号${chance(0.6) ? `${between(2, 28)}层${between(1, 30) * 100 + between(1, 20)}室` : ''}`;

// ------------------------------------------------------------------ agents (代理商)
interface Agent {
  key: string;
  uscc: string;
  name: string;
  licence: string | null;
  contact: string | null;
  address: string | null;
}
/** key: A = first-level, B = second-level, C = third-level, D = fourth-level (as the tree below uses them). */
const agentSpecs: Array<
  [key: string, name: string, region: keyof typeof regions, licence: string | null, wrongCheck?: boolean]
> = [
  ['A01', '北京讯通信息技术有限公司', 'haidian', '京B2-20180153'],
  ['A02', '上海云信网络科技有限公司', 'pudong', 'B2-20170321'],
  ['A03', '北京华信通信技术有限公司', 'haidian', 'B2-20160088'],
  ['A04', '深圳市智联数据服务有限公司', 'shenzhen', '粤B2-20190412'],
  ['A05', '杭州畅联信息技术有限公司', 'hangzhou', '浙B2-20180266'],
  ['A06', '广州众信网络科技有限公司', 'guangzhou', '粤B2-20200137'],
  ['A07', '成都天讯科技有限公司', 'chengdu', '川B2-20190055'],
  ['A08', '上海博讯信息技术有限公司', 'pudong', '沪B2-20170902'],
  ['A09', '北京金讯网络科技有限公司', 'chaoyang', '京B2-20210044'],
  ['A10', '深圳市优信通信技术有限公司', 'shenzhen', 'B2-20180577'],
  ['A11', '杭州新通科技有限公司', 'hangzhou', '浙B2-20190731'],
  ['A12', '北京瑞讯数据服务有限公司', 'chaoyang', 'B2-20200618'],
  ['A13', '济南恒联信息技术有限公司', 'jinan', '鲁B2-20190203'],
  ['A14', '广州广信网络科技有限公司', 'guangzhou', '粤B2-20210119'],
  ['B01', '上海迅联网络科技有限公司', 'pudong', '沪B2-20200415'],
  ['B02', '杭州智联信息技术有限公司', 'hangzhou', '浙B2-20200988'],
  ['B03', '深圳市易通科技有限公司', 'shenzhen', '粤B2-20210306'],
  ['B04', '北京信达网络科技有限公司', 'haidian', '京B2-20200721'],
  ['B05', '杭州启航信息技术有限公司', 'hangzhou', null],
  ['B06', '广州星链科技有限公司', 'guangzhou', '粤B2-20210512'],
  ['B07', '成都云海数据服务有限公司', 'chengdu', '川B2-20200367'],
  ['B08', '上海百川信息技术有限公司', 'pudong', '沪B2-20190588'],
  ['B09', '深圳市中讯网络科技有限公司', 'shenzhen', '粤B2-20210233', true],
  ['B10', '济南东方信通信技术有限公司', 'jinan', '鲁B2-20200114'],
  ['C01', '北京汇通科技有限公司', 'chaoyang', '京B2-20210377'],
  ['C02', '深圳市普联信息技术有限公司', 'shenzhen', null],
  ['C03', '上海万通网络科技有限公司', 'pudong', '沪B2-20210640'],
  ['C04', '成都聚信科技有限公司', 'chengdu', null],
  ['C05', '杭州捷讯数据服务有限公司', 'hangzhou', '浙B2-20210452'],
  ['C06', '广州汇联信息技术有限公司', 'guangzhou', 'B2-20210871', true],
  ['D01', '济南鸿信信息技术有限公司', 'jinan', null],
  ['D02', '深圳市腾达讯科技有限公司', 'shenzhen', null],
];
const agents: Agent[] = agentSpecs.map(([key, name, regionKey, licence, wrongCheck]) => {
  const region = regions[regionKey];
  const sparse = key === 'D01' || key === 'C04'; // the shell companies left blanks on their forms
  return {
    key,
    name,
    licence,
    uscc: makeUscc('91', region.code, { wrongCheck }),
    contact: sparse ? null : `${personName()} ${mobile()}`,
    address: key === 'D01' ? null : address(region),
  };
});
const agent = (key: string) => agents.find((a) => a.key === key)!;

// ------------------------------------------------------------------ using entities (使用主体)
type Topic =
  | 'traffic'
  | 'police'
  | 'tax'
  | 'hr'
  | 'medical'
  | 'court'
  | 'market'
  | 'fund'
  | 'hospital'
  | 'university'
  | 'cdc'
  | 'charity'
  | 'bank'
  | 'power'
  | 'water'
  | 'post'
  | 'logistics'
  | 'shop'
  | 'food'
  | 'travel'
  | 'app'
  | 'insurance'
  | 'trade'
  | 'education'
  | 'fitness'
  | 'estate'
  | 'catering'
  | 'tech';
interface Entity {
  key: string;
  uscc: string;
  name: string;
  signatures: string[];
  kind: string | null;
  topic: Topic;
  city: string;
}
interface GovernmentBody {
  key: string;
  name: string;
  region: string;
  city: string;
  signatures: string[];
  aliases: string[];
  topic: Topic;
}

const governmentBodies: GovernmentBody[] = [
  {
    key: 'bjjj',
    name: '北京市公安局公安交通管理局',
    region: '110000',
    city: '北京',
    signatures: ['北京交警', '北京市公安局公安交通管理局'],
    aliases: ['北京交警', '北京市交管局', '北京交管'],
    topic: 'traffic',
  },
  {
    key: 'shjj',
    name: '上海市公安局交通警察总队',
    region: '310000',
    city: '上海',
    signatures: ['上海交警'],
    aliases: ['上海交警', '上海市交警总队'],
    topic: 'traffic',
  },
  {
    key: 'szjj',
    name: '深圳市公安局交通警察局',
    region: '440300',
    city: '深圳',
    signatures: ['深圳交警'],
    aliases: ['深圳交警', '深圳市交警局'],
    topic: 'traffic',
  },
  {
    key: 'jnjj',
    name: '济南市公安局交通警察支队',
    region: '370100',
    city: '济南',
    signatures: ['济南交警'],
    aliases: ['济南交警', '济南市交警支队', '济南交管'],
    topic: 'traffic',
  },
  {
    key: 'hzjj',
    name: '杭州市公安局交通警察支队',
    region: '330100',
    city: '杭州',
    signatures: ['杭州交警'],
    aliases: ['杭州交警', '杭州市交警支队'],
    topic: 'traffic',
  },
  {
    key: 'gzjj',
    name: '广州市公安局交通警察支队',
    region: '440100',
    city: '广州',
    signatures: ['广州交警'],
    aliases: ['广州交警', '广州市交警支队'],
    topic: 'traffic',
  },
  {
    key: 'cdjj',
    name: '成都市公安局交通管理局',
    region: '510100',
    city: '成都',
    signatures: ['成都交警'],
    aliases: ['成都交警', '成都市交管局'],
    topic: 'traffic',
  },
  {
    key: 'mps',
    name: '公安部交通管理局',
    region: '100000',
    city: '北京',
    signatures: ['交管12123'],
    aliases: ['交管12123', '12123', '公安部交管局'],
    topic: 'traffic',
  },
  {
    key: 'bjga',
    name: '北京市公安局',
    region: '110000',
    city: '北京',
    signatures: ['北京公安'],
    aliases: ['北京公安', '北京市公安'],
    topic: 'police',
  },
  {
    key: 'bjsw',
    name: '国家税务总局北京市税务局',
    region: '110000',
    city: '北京',
    signatures: ['北京税务'],
    aliases: ['北京税务', '北京市税务局'],
    topic: 'tax',
  },
  {
    key: 'shsw',
    name: '国家税务总局上海市税务局',
    region: '310000',
    city: '上海',
    signatures: ['上海税务'],
    aliases: ['上海税务', '上海市税务局'],
    topic: 'tax',
  },
  {
    key: 'bjrs',
    name: '北京市人力资源和社会保障局',
    region: '110000',
    city: '北京',
    signatures: ['北京人社', '北京社保'],
    aliases: ['北京人社', '北京社保', '北京市人社局'],
    topic: 'hr',
  },
  {
    key: 'shrs',
    name: '上海市人力资源和社会保障局',
    region: '310000',
    city: '上海',
    signatures: ['上海人社'],
    aliases: ['上海人社', '上海社保'],
    topic: 'hr',
  },
  {
    key: 'jnrs',
    name: '济南市人力资源和社会保障局',
    region: '370100',
    city: '济南',
    signatures: ['济南人社'],
    aliases: ['济南人社', '济南社保'],
    topic: 'hr',
  },
  {
    key: 'bjyb',
    name: '北京市医疗保障局',
    region: '110000',
    city: '北京',
    signatures: ['北京医保'],
    aliases: ['北京医保', '北京市医保局'],
    topic: 'medical',
  },
  {
    key: 'gzyb',
    name: '广州市医疗保障局',
    region: '440100',
    city: '广州',
    signatures: ['广州医保'],
    aliases: ['广州医保'],
    topic: 'medical',
  },
  {
    key: 'hdfy',
    name: '北京市海淀区人民法院',
    region: '110108',
    city: '北京',
    signatures: ['海淀法院'],
    aliases: ['海淀法院', '海淀区法院'],
    topic: 'court',
  },
  {
    key: 'pdfy',
    name: '上海市浦东新区人民法院',
    region: '310115',
    city: '上海',
    signatures: ['浦东法院'],
    aliases: ['浦东法院', '浦东新区法院'],
    topic: 'court',
  },
  {
    key: 'bjsj',
    name: '北京市市场监督管理局',
    region: '110000',
    city: '北京',
    signatures: ['北京市场监管'],
    aliases: ['北京市场监管', '北京市监局'],
    topic: 'market',
  },
];
/** Protected names with no sender of their own in the dataset (no USCC to attach). */
const protectedOnly: Array<[name: string, aliases: string[]]> = [
  ['国家税务总局', ['国税总局', '国家税务局', '税务总局']],
  ['中华人民共和国公安部', ['公安部']],
  ['最高人民法院', ['最高法']],
];

const entities: Entity[] = [];
const addEntity = (entity: Entity) => {
  entities.push(entity);
  return entity;
};
for (const body of governmentBodies) {
  addEntity({
    key: body.key,
    uscc: makeUscc('11', body.region),
    name: body.name,
    signatures: body.signatures,
    kind: null,
    topic: body.topic,
    city: body.city,
  });
}
const institutionSpecs: Array<
  [key: string, name: string, region: string, city: string, signatures: string[], topic: Topic, kind?: string]
> = [
  ['xiehe', '北京协和医院', '110000', '北京', ['北京协和医院', '协和医院'], 'hospital'],
  ['huashan', '复旦大学附属华山医院', '310000', '上海', ['华山医院'], 'hospital'],
  ['shyy', '上海市第一人民医院', '310000', '上海', ['上海市一医院'], 'hospital'],
  ['zdyy', '浙江大学医学院附属第一医院', '330100', '杭州', ['浙大一院'], 'hospital'],
  ['szyy', '深圳市人民医院', '440300', '深圳', ['深圳市人民医院'], 'hospital'],
  ['qilu', '山东大学齐鲁医院', '370100', '济南', ['齐鲁医院'], 'hospital'],
  ['tsinghua', '清华大学', '110000', '北京', ['清华大学'], 'university'],
  ['bjcdc', '北京市疾病预防控制中心', '110000', '北京', ['北京疾控'], 'cdc'],
  // A public institution run as an administrative body (参照公务员法管理): the one `kind` override.
  ['bjgjj', '北京住房公积金管理中心', '110000', '北京', ['北京公积金'], 'fund', 'government'],
];
for (const [key, name, region, city, signatures, topic, kind] of institutionSpecs) {
  addEntity({ key, uscc: makeUscc('12', region), name, signatures, kind: kind ?? null, topic, city });
}
addEntity({
  key: 'charity',
  uscc: makeUscc('53', '110000'),
  name: '北京市慈善基金会',
  signatures: ['北京慈善'],
  kind: null,
  topic: 'charity',
  city: '北京',
});

const companySpecs: Array<
  [key: string, name: string, region: keyof typeof regions, signatures: string[], topic: Topic]
> = [
  ['cmb', '招商银行股份有限公司', 'shenzhen', ['招商银行'], 'bank'],
  ['bocom', '交通银行股份有限公司北京市分行', 'chaoyang', ['交通银行'], 'bank'],
  ['icbc', '中国工商银行股份有限公司北京市分行', 'chaoyang', ['工商银行', '中国工商银行'], 'bank'],
  ['spdb', '上海浦东发展银行股份有限公司', 'pudong', ['浦发银行'], 'bank'],
  ['sgcc', '国网北京市电力公司', 'chaoyang', ['国家电网', '国网北京电力'], 'power'],
  ['water', '北京市自来水集团有限责任公司', 'haidian', ['北京自来水'], 'water'],
  ['post', '中国邮政集团有限公司北京市分公司', 'chaoyang', ['中国邮政'], 'post'],
  ['sf', '顺丰速运有限公司', 'shenzhen', ['顺丰速运'], 'logistics'],
  ['zto', '中通快递股份有限公司', 'pudong', ['中通快递'], 'logistics'],
  ['yunda', '韵达控股股份有限公司', 'pudong', ['韵达快递'], 'logistics'],
  ['jd', '北京京东世纪贸易有限公司', 'chaoyang', ['京东'], 'shop'],
  ['tmall', '浙江天猫网络有限公司', 'hangzhou', ['天猫', '淘宝'], 'shop'],
  ['eleme', '上海拉扎斯信息科技有限公司', 'pudong', ['饿了么'], 'food'],
  ['ceair', '中国东方航空股份有限公司', 'pudong', ['东方航空'], 'travel'],
  ['ctrip', '携程计算机技术（上海）有限公司', 'pudong', ['携程旅行'], 'travel'],
  ['didi', '北京小桔科技有限公司', 'haidian', ['滴滴出行'], 'travel'],
  ['iqiyi', '北京爱奇艺科技有限公司', 'haidian', ['爱奇艺'], 'app'],
  ['netease', '网易（杭州）网络有限公司', 'hangzhou', ['网易'], 'app'],
  ['pingan', '中国平安财产保险股份有限公司', 'shenzhen', ['平安保险', '中国平安'], 'insurance'],
];
for (const [key, name, regionKey, signatures, topic] of companySpecs) {
  addEntity({
    key,
    uscc: makeUscc('91', regions[regionKey].code),
    name,
    signatures,
    kind: null,
    topic,
    city: regions[regionKey].city,
  });
}

// Small companies: the long tail of 106 customers, and the kind of firm a fraud ring fronts with.
const smallWords = [
  '晨曦',
  '鑫源',
  '宏达',
  '佳和',
  '锦程',
  '瑞丰',
  '华美',
  '盛世',
  '福瑞',
  '新锐',
  '远航',
  '润泽',
  '安达',
  '嘉禾',
  '骏马',
  '天宇',
  '金桥',
  '海纳',
  '德信',
  '万家',
  '优品',
  '乐购',
  '聚源',
  '恒通',
  '永盛',
  '祥和',
  '立信',
  '广源',
  '卓越',
  '宏图',
  '银河',
  '昌盛',
  '金鼎',
  '鼎盛',
  '华联',
  '泰和',
  '兴旺',
  '东升',
  '益民',
  '信和',
  '同创',
  '博远',
  '凯旋',
  '长青',
  '和美',
  '美佳',
  '志成',
  '百合',
];
const smallKinds: Array<[suffix: string, signature: string, topic: Topic]> = [
  ['商贸有限公司', '商贸', 'trade'],
  ['电子商务有限公司', '优选', 'shop'],
  ['教育咨询有限公司', '教育', 'education'],
  ['网络科技有限公司', '科技', 'tech'],
  ['物流有限公司', '物流', 'logistics'],
  ['餐饮管理有限公司', '餐饮', 'catering'],
  ['健身服务有限公司', '健身', 'fitness'],
  ['房地产经纪有限公司', '房产', 'estate'],
];
const regionList = Object.values(regions);
const smallCompanies = smallWords.map((word, i) => {
  const region = regionList[(i + Math.floor(i / regionList.length)) % regionList.length];
  const [suffix, signature, topic] = smallKinds[i % smallKinds.length];
  const city = region.city === '深圳' ? '深圳市' : region.city === '广州' ? '广州市' : region.city;
  return addEntity({
    key: `small${i}`,
    uscc: makeUscc('91', region.code),
    name: `${city}${word}${suffix}`,
    signatures: [`${word}${signature}`],
    kind: null,
    topic,
    city: region.city,
  });
});
// The front company in the traffic-police case: a small trading firm, nothing to do with the police.
const fraudFront = addEntity({
  key: 'front',
  uscc: makeUscc('91', '440300'),
  name: '深圳市腾跃鑫商贸有限公司',
  signatures: ['腾跃鑫商贸'],
  kind: null,
  topic: 'trade',
  city: '深圳',
});
const entity = (key: string) => entities.find((e) => e.key === key)!;

// ------------------------------------------------------------------ the allocation tree (号段分配)
interface Allocation {
  prefix: string;
  holder: string;
  lessee: string;
  from: string;
  to: string | null;
  filing: string | null;
  declared: boolean;
  parent: Allocation | null;
  entity: Entity | null;
}
const allocations: Allocation[] = [];

/** Adds a grant; a child must lie inside its parent's prefix and period (the importer's rule). */
function grant(
  parent: Allocation | string,
  prefix: string,
  lessee: Agent | Entity,
  from: string,
  to: string | null,
  options: { filing?: string; declared?: boolean } = {},
): Allocation {
  const parentAllocation = typeof parent === 'string' ? null : parent;
  if (parentAllocation) {
    if (!prefix.startsWith(parentAllocation.prefix)) {
      throw new Error(`${prefix} is not inside ${parentAllocation.prefix}`);
    }
    if (
      from < parentAllocation.from ||
      (parentAllocation.to && (from > parentAllocation.to || !to || to > parentAllocation.to))
    ) {
      throw new Error(
        `${prefix} ${from}..${to} is not within its parent ${parentAllocation.prefix} ${parentAllocation.from}..${parentAllocation.to}`,
      );
    }
  }
  const allocation: Allocation = {
    prefix,
    holder: parentAllocation ? parentAllocation.lessee : (parent as string),
    lessee: lessee.uscc,
    from,
    to,
    filing: options.filing ?? null,
    declared: options.declared ?? true,
    parent: parentAllocation,
    entity: 'topic' in lessee ? lessee : null,
  };
  allocations.push(allocation);
  return allocation;
}

/**
 * A prefix of `length` digits under `base` that touches no allocation made so far, except the
 * ones `base` itself lies in: generated grants never overlap by accident (the deliberate overlaps
 * below are written out by hand).
 */
function freshPrefix(base: string, length: number): string {
  for (;;) {
    const candidate = base + digits(length - base.length);
    const clash = allocations.some(
      (a) => a.prefix.startsWith(candidate) || (candidate.startsWith(a.prefix) && a.prefix.length > base.length),
    );
    if (!clash) return candidate;
  }
}

interface Sender {
  allocation: Allocation;
  entity: Entity;
  from: string;
  to: string | null;
  numbers: string[];
}
/** Every grant to an entity, with the sender numbers its traffic uses. */
const senders: Sender[] = [];
function grantToEntity(parent: Allocation, prefix: string, lessee: Entity, from: string, to: string | null): Sender {
  const allocation = grant(parent, prefix, lessee, from, to);
  // A full number sends as itself; an extension range sends from numbers inside it.
  const numbers = prefix.length >= 12 ? [prefix] : Array.from({ length: 3 }, () => prefix + digits(between(2, 4)));
  const sender: Sender = { allocation, entity: lessee, from, to, numbers };
  senders.push(sender);
  return sender;
}

/** Customers served directly by the lessee of `parent`: full numbers, now and then a range. */
function grantCustomers(
  parent: Allocation,
  count: number,
  pool: readonly Entity[],
  window: [string, string] = [FIRST_DAY, '2025-06-30'],
): void {
  for (let i = 0; i < count; i++) {
    const range = chance(0.12) && parent.prefix.length <= 9;
    const length = range ? parent.prefix.length + 2 : Math.max(parent.prefix.length + 2, between(12, 16));
    const prefix = freshPrefix(parent.prefix, length);
    const earliest = [addDays(parent.from, 7), window[0]].sort().pop()!;
    const latest = minDate(window[1], parent.to ? addDays(parent.to, -30) : window[1]);
    if (earliest > latest)
      throw new Error(`no room for customers under ${parent.prefix} between ${earliest} and ${latest}`);
    const from = dateBetween(earliest, latest);
    let to: string | null = parent.to;
    if (chance(0.2)) to = minDate(dateBetween(addDays(from, 120), addDays(from, 900)), parent.to ?? LAST_DAY);
    grantToEntity(parent, prefix, pick(pool), from, to);
  }
}

// Roots: carrier → first-level agent, one segment each, filed with MIIT (工信部备案) — mostly.
const carriers = [
  ['CMCC', '中国移动'],
  ['CUCC', '中国联通'],
  ['CTCC', '中国电信'],
  ['CBN', '中国广电'],
] as const;
let filingSerial = 150;
const filing = (year: number) => `A${year}-${String((filingSerial += between(3, 40))).padStart(4, '0')}`;
const rootSpecs: Array<
  [agent: string, carrier: string, prefix: string, from: string, to: string | null, filed: boolean]
> = [
  ['A01', 'CMCC', '10692283', '2021-01-01', null, true],
  ['A02', 'CUCC', '106900', '2021-01-01', null, true],
  ['A03', 'CTCC', '1069912', '2021-01-15', null, true],
  ['A04', 'CMCC', '10657301', '2021-02-01', null, true],
  ['A05', 'CUCC', '10655021', '2021-02-01', null, true],
  ['A06', 'CTCC', '10659066', '2021-03-01', null, true],
  ['A07', 'CMCC', '1069027', '2021-03-01', null, true],
  ['A08', 'CUCC', '10693882', '2021-03-15', null, true],
  ['A09', 'CTCC', '10690779', '2021-04-01', null, false],
  ['A10', 'CUCC', '1069055', '2021-04-01', null, true],
  ['A11', 'CTCC', '1069133', '2021-05-01', null, true],
  ['A12', 'CBN', '1069266', '2021-06-01', null, false],
  // Withdrawn after the 2023 clean-up: numbers under it send with no allocation afterwards.
  ['A13', 'CMCC', '10657960', '2021-02-01', '2023-03-31', true],
  ['A14', 'CTCC', '10659388', '2021-06-15', null, true],
  // "One agent, one segment" broken: A01 gets a second segment while it still holds 10692283.
  ['A01', 'CMCC', '1069012345', '2022-05-01', null, true],
];
const roots = new Map<string, Allocation>();
for (const [agentKey, carrier, prefix, from, to, filed] of rootSpecs) {
  const root = grant(
    carrier,
    prefix,
    agent(agentKey),
    from,
    to,
    filed ? { filing: filing(Number(from.slice(0, 4))) } : {},
  );
  roots.set(prefix, root);
}
const root = (prefix: string) => roots.get(prefix)!;

// Re-leases (转租): agent → agent, written out so the chains are easy to follow.
const releases = new Map<string, Allocation>();
const releaseSpecs: Array<
  [parent: string, agent: string, prefix: string, from: string, to: string | null, declared: boolean]
> = [
  // The article's chain: 10692283 → 上海迅联 → 北京汇通 (the "北京某科技有限公司", third level) → 济南鸿信.
  ['10692283', 'B01', '1069228351', '2021-03-15', null, true],
  ['1069228351', 'C01', '106922835106', '2021-06-01', null, false],
  ['106922835106', 'D01', '10692283510677', '2021-11-01', '2023-12-31', false],
  ['106900', 'B02', '106900518', '2021-04-20', null, true],
  ['106900518', 'C05', '1069005187', '2021-08-01', null, true],
  ['10657301', 'B03', '1065730155', '2021-05-10', null, true],
  ['1065730155', 'C02', '106573015503', '2021-09-01', null, false],
  ['10655021', 'B04', '1065502199', '2021-05-01', null, true],
  // Overlaps B04's range under the same parent: OVERLAPPING_ALLOCATION between two agents.
  ['10655021', 'B05', '106550219', '2022-01-01', null, true],
  ['10659066', 'B06', '1065906688', '2021-06-01', null, false],
  ['1065906688', 'C03', '10659066881', '2021-09-15', null, false],
  // The second four-level chain: 10659066 → 广州星链 → 上海万通 → 深圳腾达讯.
  ['10659066881', 'D02', '106590668812', '2022-02-01', null, false],
  ['1069027', 'B07', '106902731', '2021-06-15', null, true],
  ['106902731', 'C04', '10690273108', '2021-10-01', null, true],
  ['10693882', 'B08', '1069388204', '2021-07-01', null, true],
  ['1069055', 'B09', '106905577', '2021-07-15', null, false],
  ['106905577', 'C06', '1069055770', '2021-12-01', null, true],
  ['10657960', 'B10', '1065796012', '2021-06-01', '2023-03-31', true],
];
for (const [parentPrefix, agentKey, prefix, from, to, declared] of releaseSpecs) {
  const parent = releases.get(parentPrefix) ?? root(parentPrefix);
  releases.set(prefix, grant(parent, prefix, agent(agentKey), from, to, { declared }));
}
const release = (prefix: string) => releases.get(prefix)!;

// Government senders get their numbers straight from well-run first-level agents (level 1).
const governmentNumbers = new Map<string, string>();
governmentBodies.forEach((body, i) => {
  const parent = i % 5 === 4 ? root('106900') : root('1069912');
  const number =
    parent.prefix === '1069912' ? `1069912${pad2(i + 1)}12123`.slice(0, 14) : freshPrefix(parent.prefix, 14);
  grantToEntity(parent, number, entity(body.key), '2021-03-01', null);
  governmentNumbers.set(body.key, number);
});
for (const [key] of institutionSpecs)
  grantToEntity(
    root('1069912'),
    freshPrefix('1069912', 14),
    entity(key),
    dateBetween('2021-03-01', '2021-12-31'),
    null,
  );
grantToEntity(root('1069912'), freshPrefix('1069912', 14), entity('charity'), '2022-06-01', null);

// The traffic-police case: 1069228351067701 (16 digits, like the article's 10692283********),
// granted by the fourth-level agent to a trading firm for 2022.
const FRAUD_NUMBER = '1069228351067701';
const fraudSender = grantToEntity(release('10692283510677'), FRAUD_NUMBER, fraudFront, '2022-01-10', '2022-12-31');

// A number reassigned halfway: a tutoring firm until 2023-06-30, then SF Express.
const REASSIGNED_NUMBER = '10690051826601';
const tutoring = smallCompanies.find((c) => c.topic === 'education' && c.city === '上海')!;
grantToEntity(release('106900518'), REASSIGNED_NUMBER, tutoring, '2022-01-01', '2023-06-30');
grantToEntity(release('106900518'), REASSIGNED_NUMBER, entity('sf'), '2023-07-01', null);

// One number, two entities at once: a range and a number inside it, under one agent.
const OVERLAP_RANGE = '1065906612';
const OVERLAP_NUMBER = '10659066123456';
grantToEntity(root('10659066'), OVERLAP_RANGE, smallCompanies[10], '2022-03-01', null);
grantToEntity(root('10659066'), OVERLAP_NUMBER, smallCompanies[11], '2022-04-01', null);

// Hidden re-leasing: a number granted to one small firm whose traffic carries many brands.
const HIDDEN_NUMBER = '10693882047788';
const hiddenSender = grantToEntity(release('1069388204'), HIDDEN_NUMBER, smallCompanies[20], '2021-09-01', null);

// The well-known customers: banks, couriers, shops, all through filed first-level agents.
const bigCompanies = entities.filter((e) => e.uscc.startsWith('91') && companySpecs.some(([key]) => key === e.key));
const bigHomes = [
  '106900',
  '10657301',
  '10655021',
  '1069027',
  '10693882',
  '1069055',
  '1069133',
  '10692283',
  '1069012345',
];
for (const company of bigCompanies) {
  for (let i = 0; i < (company.topic === 'bank' || company.topic === 'logistics' ? 2 : 1); i++) {
    const parent = root(pick(bigHomes));
    grantToEntity(
      parent,
      freshPrefix(parent.prefix, between(12, 14)),
      company,
      dateBetween(addDays(parent.from, 14), '2022-06-30'),
      null,
    );
  }
}

// The long tail: every agent serves some small customers of its own.
const tail = smallCompanies.filter((c) => ![10, 11, 20].includes(Number(c.key.slice(5))));
for (const allocation of [...roots.values()]) grantCustomers(allocation, between(3, 6), tail);
for (const allocation of [...releases.values()]) grantCustomers(allocation, between(2, 5), tail);
// The agents in the two deep chains took customers on early: the complaint clusters below.
grantCustomers(release('106922835106'), 3, tail, ['2021-06-15', '2021-12-31']);
grantCustomers(release('10692283510677'), 3, tail, ['2021-11-15', '2022-06-30']);
grantCustomers(release('106590668812'), 4, tail, ['2022-02-15', '2022-12-31']);
// A few more customers of the big platforms, so the lists are not all small firms.
for (const prefix of ['106900', '10692283', '1069012345', '1069133'])
  grantCustomers(root(prefix), 4, [...bigCompanies, ...tail]);

// ------------------------------------------------------------------ messages (短信样本)
const sign = (signature: string) => `【${signature}】`;
const month = () => between(1, 12);
const dayInMonth = () => between(1, 28);
const money = (low: number, high: number) => `${between(low, high)}.${pick(['00', '50', digits(2)])}`;
const provinceOf: Record<string, string> = {
  北京: '京',
  上海: '沪',
  深圳: '粤',
  广州: '粤',
  杭州: '浙',
  济南: '鲁',
  成都: '川',
};
const plate = (city: string) =>
  `${provinceOf[city] ?? '京'}${pick([...'ABCDEFGHJKLMNPQ'])}${pick([...'0123456789ABCDEFGHJK'])}${digits(4)}`;
const roadsOf: Record<string, string[]> = {
  北京: ['西三环', '长安街', '南二环'],
  上海: ['延安高架', '中山北路'],
  深圳: ['深南大道', '北环大道'],
  广州: ['环市东路', '天河路'],
  杭州: ['文三路', '中河高架'],
  济南: ['经十路', '二环东路'],
  成都: ['天府大道', '一环路'],
};
type Template = (entity: Entity, signature: string) => string;
const templates: Record<Topic, Template[]> = {
  traffic: [
    (e, s) =>
      `${sign(s)}您的机动车${plate(e.city)}于${month()}月${dayInMonth()}日在${pick(roadsOf[e.city] ?? ['国道'])}有一条交通违法记录，请登录交管12123 App查询处理。`,
    (_, s) =>
      `${sign(s)}您的驾驶证将于${month()}月${dayInMonth()}日有效期满，请于期满前90日内通过交管12123 App申请换证。`,
    (_, s) =>
      `${sign(s)}您已成功预约${month()}月${dayInMonth()}日科目${pick(['一', '二', '三', '四'])}考试，请携带身份证按时参考。考试不收取任何额外费用，谨防诈骗。`,
    (e, s) => `${sign(s)}${e.city}交警提示：明日有雨雪天气，请减速慢行，注意安全。`,
  ],
  police: [
    (_, s) => `${sign(s)}您的居民身份证已办理完成，请携带回执到受理派出所领取。`,
    (_, s) => `${sign(s)}公安机关不会通过电话、短信要求转账，谨防冒充公检法诈骗。如有疑问请拨打110。`,
  ],
  tax: [
    (_, s) => `${sign(s)}6月30日前请完成个人所得税年度汇算，可登录个人所得税App办理，税务机关不会以短信链接要求退税。`,
    (_, s) => `${sign(s)}您单位本月申报期截止日为${dayInMonth()}日，请按时申报。`,
  ],
  hr: [
    (_, s) => `${sign(s)}您的社会保障卡已制作完成，请到指定网点领取。`,
    (_, s) => `${sign(s)}您${month()}月社会保险费已缴纳${money(800, 3000)}元。`,
  ],
  medical: [
    (_, s) => `${sign(s)}您的医保个人账户本月划入${money(60, 400)}元。`,
    (_, s) => `${sign(s)}医保部门不会以短信链接要求您“激活”或“解冻”医保账户，谨防诈骗。`,
  ],
  court: [
    (_, s) =>
      `${sign(s)}您好，您为（2022）京0108民初${digits(5)}号案件当事人，开庭时间为${month()}月${dayInMonth()}日上午9时，请按时到庭。`,
    (_, s) => `${sign(s)}您的案件材料已收到，可通过人民法院在线服务平台查询进度。`,
  ],
  market: [(_, s) => `${sign(s)}您提交的企业年报已公示。消费投诉请拨打12315。`],
  fund: [(_, s) => `${sign(s)}您的住房公积金账户本月汇缴${money(500, 4000)}元，余额请通过官方App查询。`],
  hospital: [
    (e, s) =>
      `${sign(s)}您已成功预约${month()}月${dayInMonth()}日${pick(['内科', '外科', '眼科', '儿科', '皮肤科'])}门诊，就诊序号${between(1, 60)}，请携带身份证按时就诊。`,
    (_, s) => `${sign(s)}您的检查报告已出，可在医院官方App查看。`,
  ],
  university: [(_, s) => `${sign(s)}您的校园卡验证码为${digits(6)}，5分钟内有效。`],
  cdc: [(_, s) => `${sign(s)}流感高发季，请做好个人防护，疫苗接种可预约社区卫生服务中心。`],
  charity: [(_, s) => `${sign(s)}感谢您的爱心捐赠${money(10, 500)}元，捐赠票据可在官网查询。`],
  bank: [
    (_, s) =>
      `${sign(s)}您尾号${digits(4)}的储蓄卡${month()}月${dayInMonth()}日消费人民币${money(10, 5000)}元，余额请登录手机银行查询。`,
    (_, s) => `${sign(s)}您的动态验证码为${digits(6)}，5分钟内有效，请勿告诉他人。`,
    (e, s) =>
      e.key === 'cmb'
        ? `${sign(s)}您的信用卡账单已出，详情见 cmbchina.com/${digits(4)} 或招商银行App。`
        : `${sign(s)}您尾号${digits(4)}的信用卡本期账单${money(200, 20000)}元，到期还款日${dayInMonth()}日。`,
  ],
  power: [
    (_, s) =>
      `${sign(s)}尊敬的客户，您户号${digits(10)}本期电费${money(50, 600)}元，请于本月25日前缴纳，详见 95598.cn。`,
  ],
  water: [(_, s) => `${sign(s)}您户号${digits(8)}的本期水费为${money(20, 200)}元，可通过银行或线上渠道缴纳。`],
  post: [(_, s) => `${sign(s)}您的邮件${digits(13)}已到达投递局，请保持电话畅通。`],
  logistics: [
    (e, s) =>
      `${sign(s)}您的快件${digits(12)}已到达驿站，取件码${digits(2)}-${digits(4)}，请及时领取。${e.key === 'sf' ? '查件 sf-express.com' : ''}`,
    (_, s) => `${sign(s)}您的快件正在派送中，快递员电话${mobile()}。`,
  ],
  shop: [
    (e, s) =>
      `${sign(s)}您的订单已发货，点击 ${e.key === 'tmall' ? 'tb.cn' : '3.cn'}/${digits(4)}${pick([...'abcdefXYZ'])} 查看物流。退订回T`,
    (_, s) => `${sign(s)}会员日满199减50，详情见App。退订回T`,
    (_, s) => `${sign(s)}您的验证码为${digits(6)}，请勿泄露。`,
  ],
  food: [(_, s) => `${sign(s)}您的外卖已由骑手取餐，预计${between(15, 45)}分钟送达。`],
  travel: [
    (_, s) => `${sign(s)}您预订的${month()}月${dayInMonth()}日航班已出票，请提前2小时到达机场。`,
    (_, s) => `${sign(s)}您的验证码是${digits(6)}，用于登录，请勿泄露。`,
  ],
  app: [(_, s) => `${sign(s)}验证码${digits(6)}，用于登录，5分钟内有效，请勿泄露。`],
  insurance: [(_, s) => `${sign(s)}您的车险将于30天后到期，续保请拨打官方客服95511。`],
  trade: [
    (_, s) => `${sign(s)}您的订单${digits(8)}已发货，请注意查收。`,
    (_, s) => `${sign(s)}您的验证码为${digits(6)}，10分钟内有效。`,
  ],
  education: [
    (_, s) => `${sign(s)}您预约的试听课将于本周${pick(['六', '日'])}上午10点开始，请准时到校区。`,
    (_, s) => `${sign(s)}家长您好，本周课程反馈已发送，请查收。`,
  ],
  tech: [
    (_, s) => `${sign(s)}您的验证码为${digits(6)}，10分钟内有效。`,
    (_, s) => `${sign(s)}您的账号于${month()}月${dayInMonth()}日在新设备登录，如非本人操作请修改密码。`,
  ],
  catering: [
    (_, s) => `${sign(s)}您已预订${month()}月${dayInMonth()}日${between(2, 12)}人桌，欢迎光临。`,
    (_, s) => `${sign(s)}本周末全场八折，欢迎光临。退订回T`,
  ],
  fitness: [
    (_, s) => `${sign(s)}您预约的团课将于明天19:00开始，请提前10分钟到场。`,
    (_, s) => `${sign(s)}会员卡续费享买一年送两月。退订回T`,
  ],
  estate: [
    (_, s) =>
      `${sign(s)}您关注的${pick(['两居', '三居', '学区房'])}房源有新动态，经纪人${personName()}${mobile()}。退订回T`,
  ],
};

type MessageRow = [id: string, sender: string, sentAt: string, content: string, recipient: string];
const messages: MessageRow[] = [];
const addMessage = (sender: string, sentAt: string, content: string, recipient = mobile()) => {
  messages.push(['', sender, sentAt, content, recipient]);
};

// Ordinary traffic: each grant sends what its entity would send, while it holds the number.
// Government and big-company numbers are busier than the long tail.
const ordinary = senders.filter((s) => s !== fraudSender && s !== hiddenSender);
const weighted = ordinary.flatMap((s) =>
  Array.from(
    { length: s.entity.uscc.startsWith('91') && s.entity.topic !== 'bank' && !bigCompanies.includes(s.entity) ? 1 : 3 },
    () => s,
  ),
);
for (let i = 0; i < 2700; i++) {
  const sender = pick(weighted);
  addMessage(
    pick(sender.numbers),
    timestampBetween(sender.from, sender.to),
    pick(templates[sender.entity.topic])(sender.entity, pick(sender.entity.signatures)),
  );
}

// The traffic-police case: the trading firm's number in 2022, signed as the police in disguise.
const lures: Array<(s: string) => string> = [
  (s) => `${s}驾考预约名额已开放，科目三可优先安排，点击 t.cn/A6${digits(4)}${pick([...'abcXYZ'])} 缴纳预约保证金。`,
  (s) => `${s}您的驾驶证即将被记满12分，请登录 http://jgjs-12123.cc/kf 处理，逾期将被注销。`,
  (s) => `您有一条未处理的违章记录，请于三日内处理，详见 dwz.cn/${digits(6)} ${s}`,
  (s) => `尊敬的车主，${s}提醒您：您的违章罚款已逾期，点击 url.cn/${digits(5)} 在线缴纳可免滞纳金。`,
  () => `这里是济南交警支队，您的车辆存在违法未处理，请回拨0531-${digits(8)}核实。`,
  () => `您好，这里是济南市公安局交通警察支队车管所，您的驾考预约失败，押金退还请联系${mobile()}。`,
  (s) => `${s}驾考预约：您的预约已失败，需重新缴纳押金，联系客服：${mobile()}`,
  (s) => `${s}科目一考试名额紧张，添加客服QQ${digits(9)}代约，包过。点击 122-jiakao.xyz/${digits(4)}`,
];
const disguises = [
  '【某市公安局交通管理局】',
  '【某市公安局交通管理局】',
  '【济南交警】',
  '【济南市公安局交通警察支队】',
  '【济 南 交 警】',
  '【济南交警\u200b】',
  '［济南交警］',
  '【濟南交警】',
  '【交管１２１２３】',
  '【交管12123】',
  '【济南市公安局交通管理局】',
  '【北京交警】',
  '【北亰交警】',
  '【北京交警局】',
];
for (let i = 0; i < 90; i++) {
  addMessage(
    FRAUD_NUMBER,
    timestampBetween('2022-01-12', '2022-12-31', [8, 23]),
    pick(lures)(pick(disguises)),
    i === 0 ? '13953112345' : mobile(),
  );
}
// The victim's message (李某, 2022-03-14; the loss is reported two days later).
addMessage(
  FRAUD_NUMBER,
  '2022-03-14T09:30:00+08:00',
  '【某市公安局交通管理局】您的科目三考试预约未成功，请于今日内点击 t.cn/A6xq2Rk 缴纳考位保证金3000元，考后全额退还。',
  '13953112345',
);
// After the grant ended the number kept sending for a few weeks: the chain then stops at 济南鸿信.
for (let i = 0; i < 6; i++)
  addMessage(FRAUD_NUMBER, timestampBetween('2023-01-03', '2023-02-20'), pick(lures)(pick(disguises)));

// Impersonation of tax, social security, medical insurance and courts from small companies' numbers.
const otherLures: Array<() => string> = [
  () => `【国家税务总局】您的个人所得税退税${money(800, 3000)}元已审核通过，请点击 url.cn/t${digits(5)} 领取。`,
  () => `【國家稅務總局】您有一笔退税待领取，点击 https://tax-refund.top/${digits(6)} 办理。`,
  () => `【北京社保】您的社保卡将于今日冻结，请尽快登录 bj-shebao.vip 解冻。`,
  () => `北京市海淀区人民法院通知您：您涉及一宗诉讼，请回电010-${digits(8)}。`,
  () => `【北京醫保】您的医保账户异常，请点击 t.cn/B${digits(5)} 核实。`,
  () => `【浦東法院】传票已送达，请及时查看 dwz.cn/${digits(6)}`,
  () => `这里是上海市人力资源和社会保障局，您有一笔技能补贴${money(1000, 3000)}元待领取，回复1办理。`,
  () => `您的ETC认证已失效，请点击 etc-renzheng.top 重新认证【交通运输部】`,
];
const smallSenders = ordinary.filter((s) => tail.includes(s.entity));
for (let i = 0; i < 45; i++) {
  const sender = pick(smallSenders);
  addMessage(pick(sender.numbers), timestampBetween(sender.from, sender.to), pick(otherLures)());
}

// Near misses the audit must leave alone: real senders that only mention a government body.
const nearMisses: Array<[key: string, text: string]> = [
  ['bocom', '【交通银行】您的信用卡本期账单已出，最低还款额请登录交通银行App查询。'],
  ['bocom', '【交通银行】交通银行提醒您：公安机关不会要求您向“安全账户”转账。'],
  ['sgcc', '【国家电网】尊敬的客户，您本月电费已出账，请按时缴纳，详见 95598.cn。'],
  ['cmb', '【招商银行】提醒：谨防冒充公检法诈骗，公安机关不会通过电话要求转账。'],
  ['icbc', '【工商银行】谨防冒充公检法、税务、社保人员诈骗，请勿向陌生账户转账。'],
  ['sf', '【顺丰速运】您寄往北京市公安局公安交通管理局的文件已签收。'],
  ['pingan', '【中国平安】您的车辆已在交管12123完成违法处理，感谢您使用平安车主服务。'],
];
for (let i = 0; i < 45; i++) {
  const [key, text] = pick(nearMisses);
  const sender = pick(ordinary.filter((s) => s.entity.key === key));
  addMessage(pick(sender.numbers), timestampBetween(sender.from, sender.to), text);
}

// Hidden re-leasing: one number, many unrelated brands (loan apps, games, shops, a bank).
const brands = [
  '乐享贷',
  '速借宝',
  '鑫游戏',
  '好运彩',
  '美颜相机会员',
  '京东',
  '天猫',
  '招商银行',
  '宏达教育',
  '聚源科技',
];
for (let i = 0; i < 70; i++) {
  addMessage(
    HIDDEN_NUMBER,
    timestampBetween('2021-09-01', null),
    pick([
      () => `${sign(pick(brands))}您的验证码为${digits(6)}，请勿泄露。`,
      () => `${sign(pick(brands))}您有一笔${between(2, 20)}万元额度待领取，点击 t.cn/${digits(6)} 立即提现。退订回T`,
      () => `${sign(pick(brands))}您的账户积分即将清零，点击 dwz.cn/${digits(5)} 兑换。`,
    ])(),
  );
}

// Numbers nobody held at the time: the withdrawn segment after 2023-03-31, and never-granted numbers.
const withdrawn = ordinary.filter((s) => s.allocation.prefix.startsWith('10657960'));
for (let i = 0; i < 20; i++) {
  const sender = pick(withdrawn);
  addMessage(
    pick(sender.numbers),
    timestampBetween('2023-04-10', '2024-06-30'),
    `【${pick(['顺丰速运', '中国移动', '京东'])}】您的包裹地址异常，请点击 t.cn/${digits(5)} 更新。`,
  );
}
const NEVER_GRANTED = ['10690998301', '10658812', '1069220017'];
const neverGranted = () => `${pick(NEVER_GRANTED)}${digits(4)}`;
for (let i = 0; i < 20; i++) {
  addMessage(
    neverGranted(),
    timestampBetween('2022-01-01', null),
    `【${pick(['中国移动', '京东', '北京交警', '工商银行'])}】${pick(['您的积分即将过期', '您的账户存在风险', '您有一笔罚款未缴'])}，请点击 t.cn/${digits(5)} 处理。`,
  );
}

// Ids in time order, so M000001 is the oldest sample.
messages.sort((a, b) =>
  a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[3] < b[3] ? -1 : 1,
);
messages.forEach((message, i) => {
  message[0] = `M${String(i + 1).padStart(6, '0')}`;
});

// ------------------------------------------------------------------ complaints (投诉/案件线索)
type ComplaintRow = [
  id: string,
  sender: string,
  reportedAt: string,
  receivedAt: string,
  loss: string | null,
  region: string,
  summary: string,
];
const complaints: ComplaintRow[] = [];
const addComplaint = (sender: string, reportedAt: string, loss: string | null, region: string, summary: string) => {
  complaints.push(['', sender, reportedAt, timestampAfter(reportedAt, 60, 5 * 24 * 60), loss, region, summary]);
};
const regionNames = [
  '北京市海淀区',
  '北京市朝阳区',
  '山东省济南市历下区',
  '山东省济南市槐荫区',
  '广东省深圳市南山区',
  '上海市浦东新区',
  '浙江省杭州市西湖区',
  '四川省成都市武侯区',
];
const loss = (p: number, low: number, high: number) => (chance(p) ? money(low, high) : null);

// The article's case, and more victims of the same number.
addComplaint(
  FRAUD_NUMBER,
  '2022-03-16T10:20:00+08:00',
  '30000',
  '山东省济南市历下区',
  '李某报案：3月14日收到【某市公安局交通管理局】短信称驾考预约未成功，点击短链接后按“客服”指引分次转账，共被骗3万元。',
);
const trafficSummaries = [
  '冒充交警发送违章处理短信，诱导点击短链接缴纳罚款',
  '自称交警支队来电要求回拨，索要验证码',
  '驾考预约诈骗，要求转账缴纳考位保证金',
  '短信称驾驶证将被注销，链接为仿冒交管12123网站',
];
for (let i = 0; i < 15; i++) {
  addComplaint(
    FRAUD_NUMBER,
    timestampBetween(i < 8 ? '2022-03-01' : '2022-04-01', i < 8 ? '2022-03-28' : '2023-02-28'),
    i === 5 ? '30000' : loss(0.6, 300, 20000),
    pick(regionNames.slice(2, 4)),
    pick(trafficSummaries),
  );
}
// A cluster on the same third-level agent (北京汇通) within three weeks: its own direct customers too.
const huitongNumbers = ordinary.filter(
  (s) => s.allocation.holder === agent('C01').uscc && s.from <= '2022-03-01' && (!s.to || s.to >= '2022-03-31'),
);
for (let i = 0; i < 6; i++) {
  const sender = huitongNumbers[i % huitongNumbers.length];
  addComplaint(
    pick(sender.numbers),
    timestampBetween('2022-03-05', '2022-03-25'),
    loss(0.5, 500, 8000),
    pick(regionNames),
    pick(['冒充客服退款诈骗短信', '短信称快递丢失理赔，诱导下载会议软件', '冒充交警发送违章短信']),
  );
}
// The hidden re-leasing number: a burst of loan-fraud complaints in autumn 2022.
for (let i = 0; i < 10; i++) {
  addComplaint(
    HIDDEN_NUMBER,
    timestampBetween('2022-09-05', '2022-10-10'),
    loss(0.5, 1000, 50000),
    pick(regionNames),
    pick(['网贷诈骗短信，签名每天不同', '冒充京东金融称可提额，要求缴纳解冻费', '博彩推广短信']),
  );
}
// The second four-level chain's customers, in spring 2023.
const tengdaNumbers = ordinary.filter(
  (s) => s.allocation.holder === agent('D02').uscc && s.from <= '2023-04-01' && (!s.to || s.to >= '2023-04-30'),
);
for (let i = 0; i < 6; i++) {
  const sender = tengdaNumbers[i % tengdaNumbers.length];
  addComplaint(
    pick(sender.numbers),
    timestampBetween('2023-04-01', '2023-04-28'),
    loss(0.5, 200, 12000),
    pick(regionNames),
    pick(['冒充电商客服称商品质量问题可退款', '刷单返利诈骗短信', '冒充社保局称社保卡冻结']),
  );
}
// Scattered complaints about other small senders.
for (let i = 0; i < 18; i++) {
  const sender = pick(smallSenders);
  addComplaint(
    pick(sender.numbers),
    timestampBetween(sender.from, sender.to),
    loss(0.3, 50, 9000),
    pick(regionNames),
    pick([
      '冒充税务局发送退税短信',
      '冒充社保局称社保卡冻结',
      '收到法院传票短信，要求转账',
      '营销短信无法退订',
      '冒充医保局称医保账户异常',
    ]),
  );
}
// Numbers nobody held.
for (let i = 0; i < 6; i++)
  addComplaint(
    neverGranted(),
    timestampBetween('2022-06-01', null),
    loss(0.3, 100, 3000),
    pick(regionNames),
    '号码查不到使用单位，发送钓鱼链接',
  );
complaints.sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[1] < b[1] ? -1 : 1));
complaints.forEach((complaint, i) => {
  complaint[0] = `C${String(i + 1).padStart(4, '0')}`;
});

// ------------------------------------------------------------------ write
mkdirSync(outputDir, { recursive: true });
const write = (name: string, header: string[], rows: Cell[][]) =>
  writeFileSync(path.join(outputDir, name), csv(header, rows));
write(
  'carriers.csv',
  ['code', 'name'],
  carriers.map(([code, name]) => [code, name]),
);
write(
  'agents.csv',
  ['uscc', 'name', 'licence_no', 'contact', 'address'],
  agents.map((a) => [a.uscc, a.name, a.licence, a.contact, a.address]),
);
write(
  'entities.csv',
  ['uscc', 'name', 'signatures', 'kind'],
  entities.map((e) => [e.uscc, e.name, e.signatures.join('|'), e.kind]),
);
write(
  'allocations.csv',
  ['prefix', 'holder', 'lessee', 'valid_from', 'valid_to', 'miit_filing_no', 'declared'],
  allocations.map((a) => [a.prefix, a.holder, a.lessee, a.from, a.to, a.filing, a.declared ? 'true' : 'false']),
);
write('messages.csv', ['id', 'sender', 'sent_at', 'content', 'recipient'], messages);
write('complaints.csv', ['id', 'sender', 'reported_at', 'received_at', 'loss_yuan', 'region', 'summary'], complaints);
write(
  'protected_senders.csv',
  ['name', 'uscc', 'aliases'],
  [
    ...governmentBodies.map((body) => [body.name, entity(body.key).uscc, body.aliases.join('|')]),
    ...protectedOnly.map(([name, aliases]) => [name, null, aliases.join('|')]),
  ],
);
write(
  'url_lists.csv',
  ['domain', 'list', 'note'],
  [
    ['122.gov.cn', 'allow', '公安部交通安全综合服务管理平台（交管12123）'],
    ['chinatax.gov.cn', 'allow', '国家税务总局'],
    ['cmbchina.com', 'allow', '招商银行'],
    ['95598.cn', 'allow', '国家电网网上营业厅'],
    ['sf-express.com', 'allow', '顺丰速运'],
    ['3.cn', 'allow', '京东短链接'],
    ['tb.cn', 'allow', '淘宝/天猫短链接'],
    ['jgjs-12123.cc', 'block', '仿冒交管12123，见驾考预约诈骗案'],
    ['122-jiakao.xyz', 'block', '仿冒驾考预约'],
    ['tax-refund.top', 'block', '仿冒税务退税'],
    ['bj-shebao.vip', 'block', '仿冒北京社保'],
    ['etc-renzheng.top', 'block', 'ETC认证诈骗'],
  ],
);

console.log(
  `wrote ${outputDir}: ${agents.length} agents, ${entities.length} entities, ${allocations.length} allocations, ${messages.length} messages, ${complaints.length} complaints`,
);
