/**
 * Reads the pretext of a message (cues.ts): the official matter or the brand it presents, the
 * pressure and the channel, each with its span in the original text. Pure and per snapshot: the
 * brand names come from the protected senders that are not government bodies (senderKind).
 */
import { canonicalise } from '../claims/canonical.ts';
import { foldTable, type FoldedMessage } from '../claims/fold.ts';
import { senderKind } from '../claims/senderKind.ts';
import type { ProtectedSenderRef } from '../claims/types.ts';
import { findCallbackNumbers, findUrls } from '../text/urls.ts';
import { cuePatterns, type Cue } from './cues.ts';
import { WordMatcher, type WordMatch } from './wordMatcher.ts';

/** Kinds of business whose customers fraud texts address without naming the business (我行, 您的ETC). */
export type Sector = 'bank' | 'carrier' | 'etc' | 'courier' | 'platform' | 'airline' | 'utility';

/**
 * Words that say which kind of business a text speaks for, and the names a business of that kind
 * is registered under (a bank's name ends in 银行 or 信用社; an ETC issuer runs roads or cards).
 */
const SECTORS: Readonly<Record<Sector, { cues: readonly string[]; owners: RegExp }>> = {
  bank: {
    cues: [
      // 工行, 中行 and 交行 stand inside ordinary words (施工行业, 集中行动, 成交行情): left to the claim detector
      '电子密码器',
      '密码器',
      'u盾',
      '网银',
      '手机银行',
      '网上银行',
      '信用卡',
      '储户',
      '我行',
      '银行卡',
      '额度',
      '借记卡',
      '建行',
      '农行',
      '招行',
      '邮储',
      '农信',
      '农商',
      '银联',
      '银行账户',
      '存款',
      '贷款',
      '还款',
    ],
    owners: /银行|信用社|信用联社|农商|农信|银联|消费金融/,
  },
  carrier: {
    cues: ['话费', '积分', '流量', '套餐', '宽带', '10086', '10010', '10000', '运营商', '手机号码', '号码', '携号转网'],
    owners: /移动|联通|电信|广电|通信|银行|信用卡/,
  },
  utility: {
    cues: ['电费', '燃气费', '燃气', '水费', '供电', '停电', '停气'],
    owners: /电力|电网|供电|燃气|水务|自来水|热力|能源/,
  },
  etc: {
    cues: [
      'etc',
      '速通',
      '通行卡',
      '通行ic',
      '一卡通',
      '高速通行',
      '粤通卡',
      '鲁通卡',
      '苏通卡',
      '通行费',
      '车载',
      '收费站',
    ],
    owners: /高速|速通|通卡|路桥|信联|etc|银行|公路/,
  },
  courier: {
    cues: [
      '快递',
      '包裹',
      '快件',
      '驿站',
      '邮政',
      '派件',
      '邮件',
      '物流',
      '丰巢',
      '签收',
      '运单',
      '派送',
      '投递',
      '邮包',
      '取件',
      '地址不详',
      '无法派送',
    ],
    owners: /邮政|快递|速运|速递|物流|驿站|菜鸟|丰巢|供应链|运通|中通|圆通|申通|韵达|极兔/,
  },
  platform: {
    cues: [
      '淘宝',
      '支付宝',
      '京东',
      '拼多多',
      '抖音',
      '天猫',
      '订单',
      '花呗',
      '白条',
      '网购',
      '退货',
      '售后',
      '店铺',
      '商品',
    ],
    owners: /淘宝|天猫|阿里巴巴|支付宝|京东|拼多多|寻梦|抖音|字节跳动/,
  },
  airline: {
    cues: ['航班', '机票', '改签', '航空', '登机', '退改', '航班取消'],
    owners: /航空|航旅|机场|携程|飞猪|旅行|旅游|去哪儿/,
  },
};
/** Threats and lures a sector's pretext needs (an offer to 兑换 is one; 及时 is not). */
const SECTOR_PRESSURE_WORDS = [
  '停用',
  '冻结',
  '失效',
  '无效',
  '过期',
  '过时',
  '到期',
  '逾期',
  '作废',
  '注销',
  '清零',
  '关停',
  '禁用',
  '异常',
  '取消',
  '盗刷',
  '违禁',
  '受损',
  '磕坏',
  '丢失',
  '损坏',
  '理赔',
  '赔付',
  '退款',
  '兑换',
  '提额',
  '提升',
  '升级',
  '更新',
  '认证',
  '核实',
  '激活',
  '限制',
  '停机',
  '终止',
  '故障',
  '延误',
  '扣费',
  '缴费协议',
  '中奖',
  '封停',
  '停止',
  '欠费',
  '质量问题',
  '赔偿',
  '双倍',
  '无法派送',
  '地址不详',
  '退回',
  '拦截',
  '违规',
  '不全',
  // 验证 alone is in every code message (验证码): only as a demand
  '验证身份',
  '身份验证',
  '重新验证',
  '进行验证',
  '完成验证',
];

/** How near (folded units) an unnamed business's word its threat must stand: 提升额度, 您的ETC认证已失效. */
const SECTOR_REACH_BEFORE = 6;
const SECTOR_REACH_AFTER = 20;

interface SectorPatterns {
  cue: WordMatcher;
  sectorOf: ReadonlyMap<string, Sector>;
  pressure: WordMatcher;
}

let sectorPatterns: SectorPatterns | null = null;

function sectorCuePatterns(): SectorPatterns {
  if (sectorPatterns !== null) return sectorPatterns;
  const { fold } = cuePatterns();
  const sectorOf = new Map<string, Sector>();
  for (const [sector, { cues }] of Object.entries(SECTORS) as [Sector, (typeof SECTORS)[Sector]][])
    for (const cue of cues) sectorOf.set(fold(cue), sector);
  sectorPatterns = {
    cue: new WordMatcher(sectorOf.keys()),
    sectorOf,
    pressure: new WordMatcher(SECTOR_PRESSURE_WORDS.map(fold)),
  };
  return sectorPatterns;
}

/** A pretext found in a message: its cues, the topic first. */
export interface OfficialPretext {
  cues: Cue[];
}

export interface BrandPretext {
  /** The protected brand named in the text, or null when only its kind of business is (sector). */
  sender: ProtectedSenderRef | null;
  sector: Sector | null;
  cues: Cue[];
}

/** Where the folded text of a message comes from: the claim detector's, when it has read the message already. */
export interface FoldSource {
  foldedMessage(content: string): FoldedMessage;
}

export class PretextReader {
  readonly #source: FoldSource;
  /** The folder of the message being read, which maps folded offsets back. */
  #folded!: FoldedMessage;
  readonly #brands: WordMatcher | null;
  readonly #brandByForm = new Map<string, ProtectedSenderRef>();

  /** `source`: the claim detector over the same messages, whose folding is shared. */
  constructor(protectedSenders: readonly ProtectedSenderRef[], source: FoldSource) {
    foldTable();
    cuePatterns();
    sectorCuePatterns();
    this.#source = source;
    for (const sender of protectedSenders) {
      if (senderKind(sender) !== 'brand') continue;
      for (const form of [sender.name, ...sender.aliases]) {
        const folded = canonicalise(form);
        // Read anywhere in a text, a two-character name stands inside ordinary words (中行 in
        // 集中行动): those stay the claim detector's, where they sign or speak. A number (95588)
        // must be long enough not to be part of an amount.
        if (folded.length < 3 || (/^[0-9]+$/.test(folded) && folded.length < 5)) continue;
        if (!this.#brandByForm.has(folded)) this.#brandByForm.set(folded, sender);
      }
    }
    this.#brands = this.#brandByForm.size === 0 ? null : new WordMatcher(this.#brandByForm.keys());
  }

  /** The message folded, kept in #folded, which maps its offsets back. */
  #fold(content: string): FoldedMessage {
    this.#folded = this.#source.foldedMessage(content);
    return this.#folded;
  }

  #cue(kind: Cue['kind'], content: string, start: number, end: number): Cue {
    const originalStart = this.#folded.originAt(start);
    const originalEnd = this.#folded.originalEnd(end);
    return { kind, text: content.slice(originalStart, originalEnd), start: originalStart, end: originalEnd };
  }

  #matchCue(kind: Cue['kind'], content: string, match: WordMatch | null): Cue | null {
    return match === null ? null : this.#cue(kind, content, match.index, match.index + match.word.length);
  }

  /** The channel: a link, a phone number, a reply code, or a word that sends the reader somewhere. */
  #channel(content: string, text: string): Cue | null {
    const url = findUrls(content)[0];
    if (url !== undefined) return { kind: 'channel', text: url.text, start: url.start, end: url.end };
    const phone = findCallbackNumbers(content)[0];
    if (phone !== undefined) return { kind: 'channel', text: phone.text, start: phone.start, end: phone.end };
    const code = replyCode(text);
    if (code !== null) return this.#cue('channel', content, code.index, code.index + code[0].length);
    return this.#matchCue('channel', content, cuePatterns().channel.find(text));
  }

  /**
   * The first threat, or demand or lure not reported done, outside the topics' spans (folded) unless the reader holds
   * the matter.
   */
  #pressure(content: string, text: string, topics: ReadonlyArray<readonly [number, number]>): Cue | null {
    const { threat: threats, request: requests, doneBefore, resolvedBefore, holder, code } = cuePatterns();
    // 违章 is a topic and a threat. Said of the reader (你的车辆有一条超速违章记录) it presses; in a
    // list of services (代办年检、处理违章) it does not: a word inside a topic is pressure only
    // when the reader is addressed as its holder.
    const held = holder.test(text);
    const inTopic = (at: number) => !held && topics.some(([start, end]) => at >= start && at < end);
    const before = (at: number) => text.slice(Math.max(0, at - 4), at);
    const notCode = (word: string, at: number) => !text.startsWith(code, at + word.length);
    const threat = threats.find(
      text,
      0,
      text.length,
      (word, at) => notCode(word, at) && !inTopic(at) && !resolvedBefore.test(before(at)),
    );
    const request = requests.find(
      text,
      0,
      text.length,
      (word, at) => notCode(word, at) && !inTopic(at) && !doneBefore.test(before(at)),
    );
    const first = threat === null || (request !== null && request.index < threat.index) ? request : threat;
    return this.#matchCue('pressure', content, first);
  }

  /**
   * The official pretext of a message, or null: an official matter (topic), pressure, and a
   * channel, or the reader addressed as the matter's holder (您的…, 社保卡); no warning words.
   */
  official(content: string): OfficialPretext | null {
    const folded = this.#fold(content);
    const patterns = cuePatterns();
    // Nearly every message names no official matter: that is found in the units, no string made.
    if (!patterns.topic.inUnits(folded.units, folded.length)) return null;
    const text = folded.text;
    let topic: Cue | null = null;
    let holding: Cue | null = null;
    const spans: Array<[number, number]> = [];
    for (const match of patterns.topic.all(text)) {
      if (patterns.notTopics.has(match.word)) continue; // 工商银行
      const end = match.index + match.word.length;
      spans.push([match.index, end]);
      topic ??= this.#cue('topic', content, match.index, end);
      const held = patterns.holding.exec(text.slice(end, end + 4));
      if (held !== null) holding ??= this.#cue('address', content, match.index, end + held[0].length);
    }
    if (topic === null || warnsOnly(content, text)) return null;
    const pressure = this.#pressure(content, text, spans);
    if (pressure === null) return null;
    const reach =
      this.#channel(content, text) ?? this.#matchCue('address', content, patterns.holder.find(text)) ?? holding;
    if (reach === null) return null;
    return { cues: [topic, pressure, reach] };
  }

  /**
   * The brand pretext of a message, or null: a protected brand named anywhere in the text, or a
   * kind of business (sector) it speaks for, with a threat or a lure and a channel; no warning
   * words. `isOwner` says whether the registered entity is that brand or of that kind of business.
   */
  brand(
    content: string,
    registeredName: string | null,
    isOwner: (sender: ProtectedSenderRef) => boolean,
  ): BrandPretext | null {
    const folded = this.#fold(content);
    const sectors = sectorCuePatterns();
    if (!sectors.pressure.inUnits(folded.units, folded.length)) return null;
    const text = folded.text;
    const { code } = cuePatterns();
    const notCode = (word: string, at: number) => !text.startsWith(code, at + word.length);
    const pressureMatch = sectors.pressure.find(text, 0, text.length, notCode);
    if (pressureMatch === null || warnsOnly(content, text)) return null;
    const channel = this.#channel(content, text);
    if (channel === null) return null;
    const named = this.#brands?.find(text, 0, text.length, (word, at) => standsAlone(text, word, at)) ?? null;
    if (named !== null) {
      const sender = this.#brandByForm.get(named.word)!;
      if (isOwner(sender)) return null;
      return {
        sender,
        sector: null,
        cues: [this.#matchCue('topic', content, named)!, this.#matchCue('pressure', content, pressureMatch)!, channel],
      };
    }
    // Unnamed, the business must be what is threatened: the pressure stands close to its word
    // (您的ETC认证已失效, 积分即将清零, 提升额度), not at a promotion's end (送话费…过期就没有了).
    for (const match of sectors.cue.all(text)) {
      const end = match.index + match.word.length;
      const from = Math.max(0, match.index - SECTOR_REACH_BEFORE);
      const near = sectors.pressure.find(text, from, Math.min(text.length, end + SECTOR_REACH_AFTER), notCode);
      if (near === null) continue;
      const sector = sectors.sectorOf.get(match.word)!;
      if (registeredName !== null && SECTORS[sector].owners.test(canonicalise(registeredName))) return null;
      return {
        sender: null,
        sector,
        cues: [this.#matchCue('sector', content, match)!, this.#matchCue('pressure', content, near)!, channel],
      };
    }
    return null;
  }
}

/** The first reply code (回1, 回复Y) that is not a marketing opt-out (回T退订, 拒收请回复R), folded. */
function replyCode(text: string): RegExpExecArray | null {
  const { reply, optOut } = cuePatterns();
  reply.lastIndex = 0;
  for (let match = reply.exec(text); match !== null; match = reply.exec(text)) {
    if (!optOut.test(text.slice(Math.max(0, match.index - 4), match.index + match[0].length + 4))) return match;
  }
  return null;
}

/** A brand's name read in a text must not be part of a longer number or word (95588 in 7310095588). */
function standsAlone(text: string, word: string, at: number): boolean {
  const inside = /^[0-9]+$/.test(word) ? /[0-9]/ : /^[0-9a-z]+$/.test(word) ? /[0-9a-z]/ : null;
  if (inside === null) return true;
  return (
    !(at > 0 && inside.test(text[at - 1])) && !(at + word.length < text.length && inside.test(text[at + word.length]))
  );
}

/** A link, a phone number or a reply code: something concrete to act on. */
function hasConcreteChannel(content: string, folded: string): boolean {
  return findUrls(content).length > 0 || findCallbackNumbers(content).length > 0 || replyCode(folded) !== null;
}

/**
 * True when a message warns against fraud (谨防, 冒充, 请勿点击…) and gives nothing concrete to act
 * on. A warning word beside a link or a number does not make a text harmless (国家反诈中心 … 请点击
 * http://… 下载APP): fraud borrows the words of warnings too.
 */
function warnsOnly(content: string, folded: string): boolean {
  return cuePatterns().warning.test(folded) && !hasConcreteChannel(content, folded);
}

/**
 * True when a message that warns against fraud gives the reader nothing to act on: no link, no
 * number, no reply code, no word that sends them anywhere. `folded`: the message folded (fold.ts).
 */
export function isBareWarning(content: string, folded: string): boolean {
  return warnsOnly(content, folded) && !cuePatterns().channel.test(folded);
}
