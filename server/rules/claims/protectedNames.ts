/**
 * Every way of writing a protected sender's name that the claim rules recognise: its name and
 * aliases as listed, and the abbreviations Chinese bodies are commonly called by, derived from the
 * name (济南市公安局交通警察支队 → 济南交警, 济南市交管局, 济南市公安局交通管理局…), all in canonical
 * form (folded, letters and digits only).
 */
import { bodyFamilies, type BodyFamily } from './governmentPattern.ts';
import type { ProtectedSenderRef } from './types.ts';

export type FormKind = 'name' | 'alias' | 'abbreviation';

export interface ProtectedForm {
  sender: ProtectedSenderRef;
  kind: FormKind;
  /** the form as a person writes it: the listed name/alias, or the derived abbreviation */
  written: string;
  canonical: string;
}

const HAN = '\\u3400-\\u4dbf\\u4e00-\\u9fff';
/** 国家税务总局北京市税务局 / 山东省济南市… / 北京市海淀区人民法院 / 上海市浦东新区人民法院 */
const LOCAL_BODY = new RegExp(
  `^(?:国家税务总局)?(?:[${HAN}]{2,3}省)?([${HAN}]{2,4}?)市(?:([${HAN}]{2,3}?)(新区|区|县))?(.+)$`,
);

/**
 * How people abbreviate a city-level body of each family, given the city written with and
 * without 市 (`P`). The traffic police are one family whatever their formal name: 交通管理局,
 * 交通警察支队, 交通警察总队 and 交通警察局 are the same body in different cities' naming, so a
 * sender writing 济南市公安局交通管理局 claims Jinan's 交通警察支队.
 */
const CITY_FORMS: Partial<Record<BodyFamily, readonly string[]>> = {
  'traffic-police': [
    '交警',
    '交管',
    '交警支队',
    '交警总队',
    '交警大队',
    '交警局',
    '交管局',
    '交通管理局',
    '交通警察支队',
    '公安交管',
    '公安局交通管理局',
    '公安局交通警察支队',
    '公安局交通警察总队',
    '公安局交通警察局',
    '公安局公安交通管理局',
    '车管所',
  ],
  police: ['公安', '公安局'],
  tax: ['税务', '税务局'],
  'human-resources': ['人社', '社保', '人社局', '社保局', '社保中心', '人力资源和社会保障局', '人力资源社会保障局'],
  'medical-insurance': ['医保', '医保局', '医疗保障局'],
  'market-regulation': ['市场监管', '市场监管局', '市监局', '市场监督管理局'],
  'housing-fund': ['公积金', '公积金中心', '住房公积金', '住房公积金管理中心'],
};

/** Courts and procuratorates sign by district: 海淀法院, 海淀区法院, 北京市海淀区人民法院. */
const DISTRICT_FORMS: Partial<Record<BodyFamily, readonly string[]>> = {
  court: ['法院', '人民法院'],
  procuratorate: ['检察院', '人民检察院'],
};

/** The abbreviations a city- or district-level body's name implies (none for ministries). */
export function abbreviationsOf(name: string): string[] {
  const local = LOCAL_BODY.exec(name);
  if (local === null) return [];
  const [, city, district, districtSuffix, body] = local;
  const families = bodyFamilies(body);
  const forms: string[] = [];
  for (const family of families) {
    if (district !== undefined) {
      for (const type of DISTRICT_FORMS[family] ?? []) {
        // 浦东新区 is written 浦东区 and 浦东新区; 某县 keeps its 县
        const suffixes = new Set(['区', districtSuffix]);
        forms.push(district + type);
        for (const suffix of suffixes)
          for (const place of [district, city + district, `${city}市${district}`]) forms.push(place + suffix + type);
      }
      continue;
    }
    for (const type of CITY_FORMS[family] ?? []) for (const place of [city, `${city}市`]) forms.push(place + type);
    if (family === 'tax') forms.push(`国家税务总局${city}市税务局`);
    if (family === 'court' && body.includes('中级')) {
      for (const place of [city, `${city}市`]) forms.push(`${place}中院`, `${place}中级法院`, `${place}中级人民法院`);
    }
    if ((family === 'court' || family === 'procuratorate') && !body.includes('中级')) {
      for (const type of DISTRICT_FORMS[family]!) for (const place of [city, `${city}市`]) forms.push(place + type);
    }
  }
  return forms;
}

/**
 * Signatures that end like this say what they are, and it is not a government body: 海淀区医院
 * is one edit from 海淀区法院 but is a hospital's name, not a disguised court.
 */
const NON_GOVERNMENT_ENDING =
  /(?:医院|银行|大学|学院|学校|中学|小学|幼儿园|公司|集团|酒店|宾馆|超市|商城|商场|物流|快递|速运|保险|证券|人寿|财险|基金|电力|燃气|水务|自来水|热力|移动|联通|电信|广电|影院|剧院|商贸|科技|教育|健身|餐饮|药房|药店|诊所|医药|事务所|协会|基金会|研究院|研究所|出版社|报社|电视台)$/;

/** Fewest characters a protected form needs before a one-character substitution counts as a lookalike. */
const MIN_LENGTH_FOR_SUBSTITUTION = 5;
/** Fewest characters the shorter of two strings needs before an inserted/deleted character counts. */
const MIN_LENGTH_FOR_INSERTION = 4;

/** True when `a` becomes `b` by exactly one substitution, insertion or deletion. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (longer.length - shorter.length > 1) return false;
  let i = 0;
  while (i < shorter.length && shorter.charCodeAt(i) === longer.charCodeAt(i)) i++;
  if (shorter.length === longer.length) {
    // one substitution at i: the rest must agree
    for (let k = i + 1; k < shorter.length; k++) if (shorter.charCodeAt(k) !== longer.charCodeAt(k)) return false;
    return true;
  }
  // one insertion into the shorter at i
  for (let k = i; k < shorter.length; k++) if (shorter.charCodeAt(k) !== longer.charCodeAt(k + 1)) return false;
  return true;
}

/** Protected forms by canonical text, with buckets for the lookalike search. */
export class ProtectedNames {
  readonly #byCanonical = new Map<string, ProtectedForm>();
  /** forms by length, then by first and by last character: a one-edit neighbour shares one of the two */
  readonly #byLengthAndEnd = new Map<string, ProtectedForm[]>();
  readonly #longest: number;

  constructor(senders: readonly ProtectedSenderRef[], canonicalise: (text: string) => string) {
    // Listed names first, then aliases, then derived abbreviations: when two senders share a form
    // the more authoritative listing wins.
    const add = (sender: ProtectedSenderRef, kind: FormKind, written: string) => {
      const canonical = canonicalise(written);
      if (canonical.length < 2 || this.#byCanonical.has(canonical)) return;
      const form: ProtectedForm = { sender, kind, written, canonical };
      this.#byCanonical.set(canonical, form);
      for (const key of [
        `${canonical.length}<${canonical[0]}`,
        `${canonical.length}>${canonical[canonical.length - 1]}`,
      ]) {
        const bucket = this.#byLengthAndEnd.get(key);
        if (bucket === undefined) this.#byLengthAndEnd.set(key, [form]);
        else bucket.push(form);
      }
    };
    for (const sender of senders) add(sender, 'name', sender.name);
    for (const sender of senders) for (const alias of sender.aliases) add(sender, 'alias', alias);
    for (const sender of senders)
      for (const form of abbreviationsOf(canonicalise(sender.name))) add(sender, 'abbreviation', form);
    let longest = 0;
    for (const canonical of this.#byCanonical.keys()) longest = Math.max(longest, canonical.length);
    this.#longest = longest;
  }

  /** The last UTF-16 unit of every canonical form. */
  lastUnits(): Set<number> {
    return new Set([...this.#byCanonical.keys()].map((form) => form.charCodeAt(form.length - 1)));
  }

  /** Length of the longest canonical form: no longer text can equal one. */
  get longest(): number {
    return this.#longest;
  }

  get(canonical: string): ProtectedForm | undefined {
    return this.#byCanonical.get(canonical);
  }

  /**
   * The protected form one edit away from `canonical`, if any. A substitution counts from five
   * characters on, an insertion or deletion when the shorter text has four: below that, one edit
   * turns 北京公安 into 北京公寓 and 北京人社 into 北京人寿, which are other people's real names.
   */
  lookalike(canonical: string): ProtectedForm | undefined {
    const length = canonical.length;
    if (length < MIN_LENGTH_FOR_INSERTION || length > this.#longest + 1) return undefined;
    if (NON_GOVERNMENT_ENDING.test(canonical)) return undefined;
    const first = canonical[0];
    const last = canonical[length - 1];
    for (let formLength = length - 1; formLength <= length + 1; formLength++) {
      if (
        formLength === length
          ? length < MIN_LENGTH_FOR_SUBSTITUTION
          : Math.min(length, formLength) < MIN_LENGTH_FOR_INSERTION
      )
        continue;
      for (const key of [`${formLength}<${first}`, `${formLength}>${last}`]) {
        const bucket = this.#byLengthAndEnd.get(key);
        if (bucket === undefined) continue;
        for (const form of bucket) if (oneEditApart(canonical, form.canonical)) return form;
      }
    }
    return undefined;
  }
}
