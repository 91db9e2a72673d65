/**
 * The cues of a pretext: what a fraud text that names nobody still says. Real fraud texts seldom
 * sign as a body; they present an official or a brand's matter ("your medical-insurance account
 * has lapsed"), press the reader (lapsed, frozen, overdue, summons, a subsidy to collect) and give
 * a channel to act on (a link, a number to call, an app, a code to reply). docs/pretext.md lists
 * the cue words and where they came from.
 *
 * All words are in folded form (claims/fold.ts: simplified, lower-case Latin, half-width
 * punctuation): the cues are looked for in the folded message and mapped back to the original.
 */
import { FoldedMessage } from '../claims/fold.ts';
import { type BodyFamily } from '../claims/governmentPattern.ts';
import { WordMatcher } from './wordMatcher.ts';

export type CueKind = 'topic' | 'pressure' | 'channel' | 'address' | 'sector';

/** One cue found in a message: its kind, the words as written, and its span in the original (UTF-16). */
export interface Cue {
  kind: CueKind;
  text: string;
  start: number;
  end: number;
}

/**
 * Official and public-service matters, by the kind of body that handles them. A word here is a
 * matter only a body of that kind decides: 医保 and 违章 are, 车辆 and 保险 are not (an insurer
 * writes about both).
 */
export const OFFICIAL_TOPICS: Readonly<Partial<Record<BodyFamily, readonly string[]>>> = {
  'human-resources': [
    '社保',
    '社会保险',
    '社会保障',
    '保障卡',
    '养老金',
    '养老保险',
    '退休金',
    '退休人员',
    '离退休',
    '失业金',
    '失业保险',
    '参保',
    '人社',
    '人力保障',
    '人力资源',
    '劳动补贴',
    '技能补贴',
    '养老认证',
    '生存认证',
    '资格认证',
    '低保',
    '高龄补贴',
    '残疾补贴',
  ],
  'medical-insurance': ['医保', '医疗保险', '医疗保障', '医疗卡', '医用保险', '报销资格', '报销卡', '参保账户', '健保'],
  'housing-fund': ['公积金'],
  tax: ['退税', '个税', '个人所得税', '税务', '税收', '纳税', '税款', '超征', '汇算', '清缴', '税控', '车船税', '欠税'],
  'traffic-police': [
    '违章',
    '交通违法',
    '违法记录',
    '违法行为',
    '超速',
    '闯红灯',
    '驾驶证',
    '驾照',
    '扣分',
    '记分',
    '罚单',
    '车管所',
    '交管',
    '交警',
    '12123',
    '机动车',
    '年审',
    '年检',
    '电子监控',
    '导向车道',
    '违反道路交通',
    '道路交通管理',
    '禁止高架',
    '监理',
    '审验',
    '驾考',
    '电子眼',
    '违停',
    '违法停车',
    '交通事故',
    '交通违章',
    '科目一',
    '科目二',
    '科目三',
    '科目四',
  ],
  police: [
    '涉嫌',
    '涉案',
    '案件',
    '立案',
    '网警',
    '公安',
    '警方',
    '警官',
    '刑事',
    '通缉',
    '逮捕',
    '拘留',
    '洗钱',
    '身份证被冒用',
    '安全账户',
    '协查',
    '冻结令',
    '拘留证',
    '逮捕证',
  ],
  court: ['传票', '出庭', '开庭', '法院', '诉讼', '起诉', '刑期', '判决', '强制执行', '失信', '被执行人'],
  procuratorate: ['检察院'],
  'market-regulation': [
    '营业执照',
    '工商',
    '年报',
    '经营异常',
    '异常名录',
    '列入异常',
    '吊销',
    '市场监管',
    '个体户',
    '企业信息',
  ],
  customs: ['海关', '关税'],
  health: [
    '疫情',
    '流调',
    '核酸',
    '阳性',
    '密接',
    '次密接',
    '健康码',
    '行程码',
    '疫苗',
    '防疫',
    '防控',
    '疾控',
    '赋码',
  ],
  'telecom-regulation': ['通信管理局', '工信部', '通管局', '实名认证', '实名制', '实名信息'],
  education: ['学籍', '助学金', '学信', '学历', '教育局', '录取', '监考', '考试院', '学校', '班主任'],
  government: ['补贴', '补助', '津贴', '普发', '惠民', '救助金', '抚恤', '政府', '政务', '数字人民币', '征信'],
};

/**
 * Pressure: a threat, a deadline, a demand or a lure. 验证 is pressure, 验证码 is not (every
 * code message has it): a word followed by 码 is passed over (CuePatterns.code).
 */
export const THREAT_WORDS: readonly string[] = [
  '停用',
  '暂停',
  '冻结',
  '失效',
  '过期',
  '到期',
  '逾期',
  '作废',
  '注销',
  '清零',
  '清除',
  '关停',
  '禁用',
  '停发',
  '停止使用',
  '吊销',
  '销户',
  '异常',
  '取消',
  '罚款',
  '罚金',
  '处罚',
  '拘留',
  '逮捕',
  '刑期',
  '立案',
  '传唤',
  '起诉',
  '出庭',
  '开庭',
  '强制',
  '扣分',
  '盗刷',
  '涉嫌',
  '涉案',
  '锁定',
  '违章',
  '违法',
  '超速',
  '阳性',
  '密接',
  '扣押',
  '扣留',
  '查封',
  '扣了',
  '冒用',
  '影响',
  '无法',
  '将被',
  '将会被',
  '否则',
  '后果',
  '追究',
  '限制',
  '不予',
  '终止',
  '停机',
  '风险',
  '故障',
  '未通过',
  '不通过',
  '未上报',
  '未报备',
  '未认证',
  '未完成',
  '未升级',
  '未更新',
  '未上传',
  '缺失',
  '不全',
  '不符',
  '已满',
  '即将',
  '禁止',
  '无效',
  '作弊',
  '过时',
  '封停',
  '封号',
  '违规',
  '拉黑',
  '黑名单',
  '法律责任',
  '强制执行',
  '影响征信',
  '征信受损',
  '欠费',
  '欠缴',
  '滞纳金',
  '未缴',
  '未年检',
  '未审验',
  '逾期未',
  // deadlines and urgency
  '前完成',
  '日前',
  '号前',
  '之前',
  '截止',
  '限期',
  '尽快',
  '立即',
  '立刻',
  '即刻',
  '务必',
  '紧急',
  '及时',
  '马上',
  '当天',
  '今日内',
  '超时',
];

/** Demands and lures: pressure when asked for, not when reported done (已激活, 成功领取). */
export const REQUEST_WORDS: readonly string[] = [
  '认证',
  '核验',
  '核实',
  '核查',
  '验证',
  '更新',
  '完善',
  '补录',
  '补充',
  '激活',
  '升级',
  '申换',
  '换取',
  '重新办理',
  '报备',
  '上报',
  '签署',
  '人脸识别',
  '配合',
  '缴纳',
  '缴费',
  '补缴',
  '交税',
  '领取',
  '申领',
  '未领',
  '可领',
  '发放',
  '补贴金',
  '退还',
  '返还',
  '退款',
  '退税',
  '退费',
  '理赔',
  '赔付',
  '兑换',
  '中奖',
  '红包',
];

/** Channels: where the reader is sent. A URL or a phone number in the text is a channel too (found separately). */
export const CHANNEL_WORDS: readonly string[] = [
  '点击',
  '链接',
  '连结',
  '网址',
  '网站',
  '官网',
  '网页',
  '登录',
  '登陆',
  '登入',
  '打开',
  '进入',
  '下载',
  '安装',
  'app',
  '回复',
  '致电',
  '来电',
  '电话',
  '热线',
  '联系',
  '微信',
  '加v',
  'qq',
  '扫码',
  '二维码',
  '戳',
  '请进',
  '点开',
  '详询',
  '咨询',
  '客服',
  '专员',
  '申请',
  '办理',
  '拨打',
  '回电',
  '添加',
  '公众号',
  '小程序',
  '扫描',
  '访问',
];

/** The reader spoken of as the holder of the matter (您的医保…, 你名下的…), not merely greeted (您好, 尊敬的用户). */
export const HOLDER_WORDS: readonly string[] = [
  '您的',
  '你的',
  '您名下',
  '你名下',
  '您于',
  '你于',
  '您在',
  '你在',
  '您已',
  '你已',
  '您有',
  '你有',
  '您涉嫌',
  '你涉嫌',
  '车主',
  '贵户',
  '参保人',
  '持卡人',
  '储户',
];

/**
 * Words that make the text a warning about fraud, not a pretext: "冒充社保局的短信称社保卡停用，请勿点击链接".
 * A fraud text does not call itself fraud.
 */
export const WARNING_WORDS: readonly string[] = [
  '谨防',
  '警惕',
  '提防',
  '冒充',
  '假冒',
  '仿冒',
  '骗子',
  '不法分子',
  '诈骗分子',
  '犯罪分子',
  '反诈',
  '防骗',
  '防诈',
  '请勿点击',
  '不要点击',
  '勿点击',
  '不要轻信',
  '勿轻信',
  '不会通过',
  '从未',
  '诈骗短信',
  '诈骗电话',
  '诈骗信息',
  '均为诈骗',
  '是诈骗',
  '属诈骗',
  '虚假',
  '钓鱼',
  '上当受骗',
  '不信',
  '不转账',
];

function alternation(words: Iterable<string>): string {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}

/** Longer words that hold a topic word but are no official matter: 工商银行 is a bank. */
const NOT_TOPICS = ['工商银行'];

/** The cue patterns, over folded text. */
export interface CuePatterns {
  /** Official topics, and the words that only look like one (notTopics). */
  topic: WordMatcher;
  /** The words `topic` matches that are no official matter (工商银行), folded. */
  notTopics: ReadonlySet<string>;
  threat: WordMatcher;
  request: WordMatcher;
  channel: WordMatcher;
  warning: WordMatcher;
  /** The reader spoken of as the holder of a matter: 您的, 你涉嫌, 您有, 车主 (not a mere 您好). */
  holder: WordMatcher;
  /** What after a topic makes it the reader's own: 社保卡, 医保账户, 医疗保障服务卡, 补贴资格. */
  holding: RegExp;
  /** Before a demand or a lure, these report it done (已激活, 成功领取, 完成认证). */
  doneBefore: RegExp;
  /** Before a threat, these report it resolved (完成违法处理, 成功解除冻结). */
  resolvedBefore: RegExp;
  /** A reply code (回1, 回复Y); the opt-out of marketing (回T退订, 拒收请回复R) is not one. */
  reply: RegExp;
  optOut: RegExp;
  /** The folded 码: 验证码, 认证码 are codes, not demands. */
  code: string;
  /** Folds a word the same way (for other modules' cue words). */
  fold(word: string): string;
}

let patterns: CuePatterns | null = null;

/**
 * The patterns, built on first use: every word is folded as messages are (入 and 人 are one
 * character to the folder, which reads lookalikes as the character they imitate), so a word here
 * matches however a message writes it.
 */
export function cuePatterns(): CuePatterns {
  if (patterns !== null) return patterns;
  const folder = new FoldedMessage();
  const fold = (word: string) => folder.fold(word).text;
  const folded = (words: readonly string[]) => words.map(fold);
  const notTopics = new Set(folded(NOT_TOPICS));
  patterns = {
    topic: new WordMatcher([...folded(Object.values(OFFICIAL_TOPICS).flat()), ...notTopics]),
    notTopics,
    threat: new WordMatcher(folded(THREAT_WORDS)),
    request: new WordMatcher(folded(REQUEST_WORDS)),
    channel: new WordMatcher(folded(CHANNEL_WORDS)),
    warning: new WordMatcher(folded(WARNING_WORDS)),
    holder: new WordMatcher(folded(HOLDER_WORDS)),
    holding: new RegExp(
      `^[\\u4e00-\\u9fff]{0,2}?(?:${alternation(folded(['卡', '账户', '帐户', '账号', '凭证', '资格', '待遇', '资金']))})`,
    ),
    doneBefore: new RegExp(`(?:${alternation(folded(['已', '已经', '成功', '完成', '已于']))})$`),
    resolvedBefore: new RegExp(`(?:${alternation(folded(['成功', '完成', '解除', '已处理']))})$`),
    reply: new RegExp(`${fold('回')}(?:${fold('复')})?[0-9a-z](?![0-9a-z])`, 'g'),
    optOut: new RegExp(alternation(folded(['退订', '拒收', '取关', '退定']))),
    code: fold('码'),
    fold,
  };
  return patterns;
}
