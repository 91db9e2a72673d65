/**
 * Reads the pretext of a message (cues.ts): the official matter or the brand it presents, the
 * pressure and the channel, each with its span in the original text. Pure and per snapshot: the
 * brand names come from the protected senders that are not government bodies (senderKind).
 */
import { canonicalise } from '../claims/canonical.ts';
import { FoldedMessage, foldTable } from '../claims/fold.ts';
import type { BodyFamily } from '../claims/governmentPattern.ts';
import { senderKind } from '../claims/senderKind.ts';
import type { ProtectedSenderRef } from '../claims/types.ts';
import { findCallbackNumbers, findUrls } from '../text/urls.ts';
import { cuePatterns, type Cue } from './cues.ts';

/** Kinds of business whose customers fraud texts address without naming the business (我行, 您的ETC). */
export type Sector = 'bank' | 'carrier' | 'etc' | 'courier' | 'platform' | 'airline' | 'utility';

/**
 * Words that say which kind of business a text speaks for, and the names a business of that kind
 * is registered under (a bank's name ends in 银行 or 信用社; an ETC issuer runs roads or cards).
 */
const SECTORS: Readonly<Record<Sector, { cues: readonly string[]; owners: RegExp }>> = {
  bank: {
    cues: ['电子密码器', '密码器', 'u盾', '网银', '手机银行', '网上银行', '信用卡', '储户', '我行', '银行卡', '额度', '借记卡', '工行', '建行', '农行', '中行', '交行', '招行', '邮储', '农信', '农商', '银联'],
    owners: /银行|信用社|信用联社|农商|农信|银联|金融|支付|消费金融/,
  },
  carrier: { cues: ['话费', '积分', '流量', '套餐', '宽带', '10086', '10010', '10000', '运营商'], owners: /移动|联通|电信|广电|通信|银行|信用卡/ },
  utility: { cues: ['电费', '燃气费', '燃气', '水费', '供电', '停电', '停气'], owners: /电力|电网|供电|燃气|水务|自来水|热力|能源/ },
  etc: { cues: ['etc', '速通', '通行卡', '通行ic', '一卡通', '高速通行', '粤通卡', '鲁通卡', '苏通卡', '通行费'], owners: /高速|速通|通卡|路桥|交通|信联|etc|银行|公路/ },
  courier: { cues: ['快递', '包裹', '快件', '驿站', '邮政', '派件', '邮件', '物流', '丰巢', '签收'], owners: /邮政|快递|速运|速递|物流|驿站|菜鸟|丰巢|供应链|运通|中通|圆通|申通|韵达|极兔/ },
  platform: { cues: ['淘宝', '支付宝', '京东', '拼多多', '抖音', '天猫', '订单', '花呗', '白条', '网购'], owners: /淘宝|天猫|阿里|支付宝|京东|拼多多|寻梦|抖音|字节|网络|电子商务|科技|信息技术/ },
  airline: { cues: ['航班', '机票', '改签', '航空', '登机'], owners: /航空|航旅|机场|携程|飞猪|旅行|旅游|去哪儿/ },
};
/** Threats and lures a sector's pretext needs (an offer to 兑换 is one; 及时 is not). */
const SECTOR_PRESSURE_WORDS = [
  '停用', '冻结', '失效', '无效', '过期', '到期', '逾期', '作废', '注销', '清零', '关停', '禁用', '异常', '取消', '盗刷', '违禁', '受损', '磕坏', '丢失',
  '损坏', '理赔', '赔付', '退款', '兑换', '提额', '提升', '升级', '更新', '认证', '核实', '激活', '限制', '停机', '终止', '故障', '延误', '扣费',
  '缴费协议', '中奖',
];

interface SectorPatterns {
  cue: RegExp;
  sectorOf: ReadonlyMap<string, Sector>;
  pressure: RegExp;
}

let sectorPatterns: SectorPatterns | null = null;

function sectorCuePatterns(): SectorPatterns {
  if (sectorPatterns !== null) return sectorPatterns;
  const { fold } = cuePatterns();
  const sectorOf = new Map<string, Sector>();
  for (const [sector, { cues }] of Object.entries(SECTORS) as [Sector, (typeof SECTORS)[Sector]][]) for (const cue of cues) sectorOf.set(fold(cue), sector);
  const words = (list: Iterable<string>) => [...list].sort((a, b) => b.length - a.length).map(escape).join('|');
  sectorPatterns = {
    cue: new RegExp(words(sectorOf.keys()), 'g'),
    sectorOf,
    pressure: new RegExp(`(?:${words(SECTOR_PRESSURE_WORDS.map(fold))}|${escape(fold('验证'))}(?!${fold('码')}))`, 'g'),
  };
  return sectorPatterns;
}

/** A pretext found in a message: the cues, and what they present. */
export interface OfficialPretext {
  families: BodyFamily[];
  cues: Cue[];
}

export interface BrandPretext {
  /** The protected brand named in the text, or null when only its kind of business is (sector). */
  sender: ProtectedSenderRef | null;
  sector: Sector | null;
  cues: Cue[];
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class PretextReader {
  readonly #folded = new FoldedMessage();
  #content: string | null = null;
  readonly #brandPattern: RegExp | null;
  readonly #brandByForm = new Map<string, ProtectedSenderRef>();

  constructor(protectedSenders: readonly ProtectedSenderRef[]) {
    foldTable();
    cuePatterns();
    sectorCuePatterns();
    for (const sender of protectedSenders) {
      if (senderKind(sender) !== 'brand') continue;
      for (const form of [sender.name, ...sender.aliases]) {
        const folded = canonicalise(form);
        // Two characters name nobody for sure (中行 is listed as an alias where meant); a digit-only
        // alias (95588) must be long enough not to be part of an amount.
        if (folded.length < 2 || (/^[0-9]+$/.test(folded) && folded.length < 5)) continue;
        if (!this.#brandByForm.has(folded)) this.#brandByForm.set(folded, sender);
      }
    }
    this.#brandPattern = this.#brandByForm.size === 0 ? null : new RegExp([...this.#brandByForm.keys()].sort((a, b) => b.length - a.length).map(escape).join('|'), 'g');
  }

  #fold(content: string): string {
    if (this.#content !== content) {
      this.#folded.fold(content);
      this.#content = content;
    }
    return this.#folded.text;
  }

  #cue(kind: Cue['kind'], content: string, start: number, end: number): Cue {
    const originalStart = this.#folded.originAt(start);
    const originalEnd = this.#folded.originalEnd(end);
    return { kind, text: content.slice(originalStart, originalEnd), start: originalStart, end: originalEnd };
  }

  /** The first match of `pattern` in `text` as a cue, or null. */
  #first(kind: Cue['kind'], pattern: RegExp, content: string, text: string, skip?: (word: string, at: number) => boolean): Cue | null {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (skip?.(match[0], match.index)) continue;
      return this.#cue(kind, content, match.index, match.index + match[0].length);
    }
    return null;
  }

  /** The channel: a link, a phone number, a reply code, or a word that sends the reader somewhere. */
  #channel(content: string, text: string): Cue | null {
    const url = findUrls(content)[0];
    if (url !== undefined) return { kind: 'channel', text: url.text, start: url.start, end: url.end };
    const phone = findCallbackNumbers(content)[0];
    if (phone !== undefined) return { kind: 'channel', text: phone.text, start: phone.start, end: phone.end };
    const { optOut, reply, channel } = cuePatterns();
    const code = optOut.test(text) ? null : this.#first('channel', reply, content, text);
    return code ?? this.#first('channel', channel, content, text);
  }

  /** The first threat, or demand or lure not reported done. */
  #pressure(content: string, text: string): Cue | null {
    const { threat: threats, request: requests, doneBefore } = cuePatterns();
    const threat = this.#first('pressure', threats, content, text);
    const request = this.#first('pressure', requests, content, text, (_word, at) => doneBefore.test(text.slice(Math.max(0, at - 3), at)));
    if (threat === null || request === null) return threat ?? request;
    return threat.start <= request.start ? threat : request;
  }

  /**
   * The official pretext of a message, or null: an official matter (topic), pressure, and a
   * channel, or the reader addressed as the matter's holder (您的…, 社保卡); no warning words.
   */
  official(content: string): OfficialPretext | null {
    const text = this.#fold(content);
    let topic: Cue | null = null;
    let holding: Cue | null = null;
    const families = new Set<BodyFamily>();
    const patterns = cuePatterns();
    const topics = patterns.topic;
    topics.lastIndex = 0;
    for (let match = topics.exec(text); match !== null; match = topics.exec(text)) {
      if (match[1] !== undefined) continue; // 工商银行
      const end = match.index + match[0].length;
      families.add(patterns.familyOf.get(match[0])!);
      topic ??= this.#cue('topic', content, match.index, end);
      const held = patterns.holding.exec(text.slice(end, end + 4));
      if (held !== null) holding ??= this.#cue('address', content, match.index, end + held[0].length);
    }
    if (topic === null || patterns.warning.test(text)) return null;
    const pressure = this.#pressure(content, text);
    if (pressure === null) return null;
    const reach = this.#channel(content, text) ?? this.#addressee(content, text) ?? holding;
    if (reach === null) return null;
    return { families: [...families], cues: [topic, pressure, reach] };
  }

  #addressee(content: string, text: string): Cue | null {
    const match = cuePatterns().address.exec(text);
    return match === null ? null : { ...this.#cue('address', content, match.index, match.index + match[0].length) };
  }

  /**
   * The brand pretext of a message, or null: a protected brand named anywhere in the text, or a
   * kind of business (sector) it speaks for, with a threat or a lure and a channel; no warning
   * words. `isOwner` says whether the registered entity is that brand or of that kind of business.
   */
  brand(content: string, registeredName: string | null, isOwner: (sender: ProtectedSenderRef) => boolean): BrandPretext | null {
    const text = this.#fold(content);
    const sectors = sectorCuePatterns();
    sectors.pressure.lastIndex = 0;
    const pressureMatch = sectors.pressure.exec(text);
    if (pressureMatch === null || cuePatterns().warning.test(text)) return null;
    const pressure = this.#cue('pressure', content, pressureMatch.index, pressureMatch.index + pressureMatch[0].length);
    const channel = this.#channel(content, text);
    if (channel === null) return null;
    const brands = this.#brandPattern;
    if (brands !== null) {
      brands.lastIndex = 0;
      const match = brands.exec(text);
      if (match !== null) {
        const sender = this.#brandByForm.get(match[0])!;
        if (isOwner(sender)) return null;
        return { sender, sector: null, cues: [this.#cue('topic', content, match.index, match.index + match[0].length), pressure, channel] };
      }
    }
    sectors.cue.lastIndex = 0;
    const sectorMatch = sectors.cue.exec(text);
    if (sectorMatch === null) return null;
    const sector = sectors.sectorOf.get(sectorMatch[0])!;
    if (registeredName !== null && SECTORS[sector].owners.test(canonicalise(registeredName))) return null;
    return { sender: null, sector, cues: [this.#cue('sector', content, sectorMatch.index, sectorMatch.index + sectorMatch[0].length), pressure, channel] };
  }
}

/**
 * True when a message that warns against fraud gives the reader nothing to act on: no link, no
 * number, no reply code, no word that sends them anywhere. `folded`: the message folded (fold.ts).
 */
export function isBareWarning(content: string, folded: string): boolean {
  const patterns = cuePatterns();
  if (!patterns.warning.test(folded)) return false;
  if (findUrls(content).length > 0 || findCallbackNumbers(content).length > 0) return false;
  patterns.channel.lastIndex = 0;
  patterns.reply.lastIndex = 0;
  return !patterns.channel.test(folded) && (patterns.optOut.test(folded) || !patterns.reply.test(folded));
}
