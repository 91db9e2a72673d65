/**
 * The generic shape of a Chinese government body's name: [place] + body type + [unit], such as
 * 潍坊 + 交警 + 支队 or 北京市海淀区 + 人民法院. GOV_IMPERSONATION needs it for bodies that are not in
 * the protected-sender list: a 【潍坊交警】 sent by a trading company is impersonation whether or
 * not anyone listed Weifang's traffic police.
 *
 * All text here is in folded form (simplified, lower-case Latin, no spaces): fold.ts runs first.
 *
 * Deliberately not a government body: ETC. ETC cards are issued by banks and by toll-road
 * operating companies (速通, 粤通卡…), which have enterprise USCCs, so an 【ETC】 signature says
 * nothing about government; an unfiled one is UNFILED_SIGNATURE's business. Likewise 国家电网,
 * 中国移动, 中国邮政, 12306 and every bank other than the central bank are enterprises.
 */

/** Kinds of government body; a claimed body and a registered entity of different kinds are different bodies. */
export type BodyFamily =
  | 'traffic-police'
  | 'police'
  | 'tax'
  | 'court'
  | 'procuratorate'
  | 'human-resources'
  | 'medical-insurance'
  | 'market-regulation'
  | 'customs'
  | 'fire'
  | 'government'
  | 'housing-fund'
  | 'telecom-regulation'
  | 'financial-regulation'
  | 'transport'
  | 'health'
  | 'education';

/**
 * Body-type words that name a government body whatever precedes them: nobody else calls itself
 * …公安局, …派出所, …交警 or …法院.
 */
const STRONG_TYPES: Readonly<Record<BodyFamily, readonly string[]>> = {
  'traffic-police': [
    '公安局公安交通管理局',
    '公安局交通警察支队',
    '公安局交通警察总队',
    '公安局交通警察大队',
    '公安局交通警察局',
    '公安局交通管理局',
    '公安交通管理局',
    '交通警察支队',
    '交通警察总队',
    '交通警察大队',
    '交通警察局',
    '交通管理局',
    '交警支队',
    '交警总队',
    '交警大队',
    '交警中队',
    '交警局',
    '交警队',
    '交警',
    '交管局',
    '交管所',
    '车辆管理所',
    '车管所',
    '交管12123',
    '12123',
  ],
  police: [
    '公安分局',
    '公安局',
    '公安厅',
    '公安部',
    '公安机关',
    '派出所',
    '刑警大队',
    '刑侦支队',
    '刑侦大队',
    '网警',
    '反诈中心',
    '反电诈中心',
    '出入境管理局',
  ],
  tax: ['税务总局', '税务局', '税务分局', '税务所'],
  court: ['人民法院', '中级法院', '法院', '最高法'],
  procuratorate: ['人民检察院', '检察院'],
  'human-resources': [
    '人力资源和社会保障局',
    '人力资源和社会保障厅',
    '人力资源和社会保障部',
    '人力资源社会保障局',
    '人社局',
    '人社厅',
    '人社部',
    '社保局',
    '社会保险事业管理中心',
    '社会保险中心',
    '社保中心',
    '社保管理局',
    '社保管理中心',
    '社保服务中心',
    '社会保险管理局',
    '社会保险管理中心',
    '社会保险局',
    '社会保障局',
    '人力保障局',
    '人力资源局',
    '劳动保障局',
  ],
  'medical-insurance': [
    '医疗保障局',
    '医疗保障中心',
    '医保局',
    '医保中心',
    '医保管理局',
    '医保管理中心',
    '医疗保险管理局',
    '医疗保险管理中心',
    '医疗保险中心',
    '医保服务中心',
  ],
  'market-regulation': [
    '市场监督管理局',
    '市场监督管理总局',
    '市场监管局',
    '市场监管总局',
    '市监局',
    '工商行政管理局',
    '工商管理局',
    '工商总局',
    '工商局',
  ],
  customs: ['海关总署', '海关'],
  fire: ['消防救援支队', '消防救援大队', '消防救援局', '消防支队', '消防大队'],
  government: [
    '人民政府',
    '政务服务中心',
    '政务服务管理局',
    '12345热线',
    '12345',
    '街道办事处',
    '财政局',
    '财政厅',
    '民政局',
    '民政厅',
    '住房和城乡建设局',
    '住建局',
    '住建委',
    '自然资源局',
    '生态环境局',
    '应急管理局',
    '统计局',
    '城市管理局',
    '城管局',
    '退役军人事务局',
    '综合服务办',
    '政务服务网',
    '政务服务平台',
    '国务院',
  ],
  'housing-fund': ['住房公积金管理中心', '公积金管理中心', '公积金中心'],
  'telecom-regulation': ['工业和信息化部', '工信部', '通信管理局', '通管局'],
  'financial-regulation': [
    '中国人民银行',
    '人民银行',
    '金融监督管理总局',
    '金融监督管理局',
    '金融监管局',
    '银保监局',
    '银保监会',
    '证监会',
    '证监局',
  ],
  transport: ['交通运输部', '交通运输厅', '交通运输局', '交通运输委员会', '交通委员会', '交通委', '交通局'],
  health: [
    '卫生健康委员会',
    '卫生健康委',
    '卫健委',
    '卫生健康局',
    '疾病预防控制中心',
    '疾病预防控制局',
    '疾控中心',
    '疫情防控指挥部',
    '防控指挥部',
    '疫情防控办',
    '防控办',
    '防疫办',
  ],
  education: ['教育部', '教育厅', '教育局', '教育委员会', '教委', '教育考试院', '招生考试院'],
};

/**
 * Short body-type words that companies also use (易社保, 安泰消防, XX税务咨询 is caught by the
 * end anchor, but 慧税务 is not): they name a government body only after a place or alone.
 */
const WEAK_TYPES: Readonly<Partial<Record<BodyFamily, readonly string[]>>> = {
  'traffic-police': ['交管'],
  police: ['公安', '警方'],
  tax: ['税务'],
  'human-resources': ['人社', '社保'],
  'medical-insurance': ['医保'],
  'market-regulation': ['市场监管'],
  fire: ['消防'],
  government: ['政府'],
  'housing-fund': ['公积金'],
  'financial-regulation': ['央行'],
  health: ['疾控'],
};

/** Sub-units written after a body type: 济南交警 + 支队, 海淀法院 + 执行局. */
const UNITS = [
  '支队',
  '总队',
  '大队',
  '中队',
  '分局',
  '分所',
  '车辆管理所',
  '车管所',
  '执行局',
  '立案庭',
  '执行庭',
  '办税服务厅',
  '服务厅',
  '服务中心',
  '管理中心',
  '中心',
  '窗口',
  '办公室',
  '热线',
  '12123',
];

/**
 * Places that precede a body type without 省/市/区 (济南交警, 海淀法院): provinces, provincial
 * capitals, the larger prefecture-level cities and the districts whose courts and bureaus sign
 * by district name. A place written with its 省/市/区/县 suffix needs no entry here.
 */
/** Provinces and regions (the four municipalities are cities too). */
export const PROVINCES: readonly string[] = [
  '河北',
  '山西',
  '辽宁',
  '吉林',
  '黑龙江',
  '江苏',
  '浙江',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '海南',
  '四川',
  '贵州',
  '云南',
  '陕西',
  '甘肃',
  '青海',
  '台湾',
  '内蒙古',
  '广西',
  '西藏',
  '宁夏',
  '新疆',
];

export const PLACES: readonly string[] = [
  // provinces and regions
  '北京',
  '天津',
  '上海',
  '重庆',
  ...PROVINCES,
  '香港',
  '澳门',
  // cities
  '石家庄',
  '唐山',
  '保定',
  '邯郸',
  '廊坊',
  '沧州',
  '太原',
  '大同',
  '呼和浩特',
  '包头',
  '沈阳',
  '大连',
  '鞍山',
  '长春',
  '哈尔滨',
  '大庆',
  '南京',
  '苏州',
  '无锡',
  '常州',
  '南通',
  '徐州',
  '扬州',
  '镇江',
  '盐城',
  '连云港',
  '淮安',
  '泰州',
  '宿迁',
  '杭州',
  '宁波',
  '温州',
  '嘉兴',
  '湖州',
  '绍兴',
  '金华',
  '台州',
  '丽水',
  '衢州',
  '舟山',
  '合肥',
  '芜湖',
  '蚌埠',
  '安庆',
  '阜阳',
  '福州',
  '厦门',
  '泉州',
  '漳州',
  '莆田',
  '南昌',
  '赣州',
  '九江',
  '济南',
  '青岛',
  '淄博',
  '烟台',
  '潍坊',
  '济宁',
  '泰安',
  '威海',
  '日照',
  '临沂',
  '德州',
  '聊城',
  '滨州',
  '菏泽',
  '枣庄',
  '东营',
  '郑州',
  '洛阳',
  '开封',
  '新乡',
  '南阳',
  '许昌',
  '安阳',
  '武汉',
  '宜昌',
  '襄阳',
  '十堰',
  '荆州',
  '长沙',
  '株洲',
  '湘潭',
  '衡阳',
  '岳阳',
  '常德',
  '广州',
  '深圳',
  '珠海',
  '汕头',
  '佛山',
  '东莞',
  '中山',
  '惠州',
  '江门',
  '湛江',
  '茂名',
  '肇庆',
  '梅州',
  '清远',
  '揭阳',
  '韶关',
  '南宁',
  '柳州',
  '桂林',
  '北海',
  '海口',
  '三亚',
  '成都',
  '绵阳',
  '德阳',
  '宜宾',
  '南充',
  '泸州',
  '乐山',
  '贵阳',
  '遵义',
  '昆明',
  '曲靖',
  '大理',
  '丽江',
  '西安',
  '咸阳',
  '宝鸡',
  '榆林',
  '兰州',
  '西宁',
  '银川',
  '乌鲁木齐',
  '拉萨',
  // districts that sign without 区 (海淀法院, 浦东法院, 福田交警)
  '东城',
  '西城',
  '朝阳',
  '海淀',
  '丰台',
  '石景山',
  '通州',
  '顺义',
  '昌平',
  '大兴',
  '房山',
  '门头沟',
  '怀柔',
  '平谷',
  '密云',
  '延庆',
  '浦东',
  '黄浦',
  '徐汇',
  '长宁',
  '静安',
  '普陀',
  '虹口',
  '杨浦',
  '闵行',
  '宝山',
  '嘉定',
  '松江',
  '青浦',
  '奉贤',
  '金山',
  '崇明',
  '历下',
  '槐荫',
  '历城',
  '章丘',
  '福田',
  '罗湖',
  '南山',
  '宝安',
  '龙岗',
  '龙华',
  '天河',
  '越秀',
  '海珠',
  '番禺',
  '西湖',
  '滨江',
  '萧山',
  '余杭',
  '锦江',
  '武侯',
  '高新',
];

/** Words before a body type that mean the whole country: 国家税务总局, 中华人民共和国海关总署. */
const NATIONAL = ['中华人民共和国', '中国', '国家', '全国', '全省', '本省', '我省', '全市', '本市', '我市', '省', '市'];
const ADMIN_SUFFIX = '(?:特别行政区|自治区|自治州|省|市|区|县|州|盟|旗|镇|乡|街道)';
const HAN = '\\u3400-\\u4dbf\\u4e00-\\u9fff';

function alternation(words: Iterable<string>): string {
  return [...new Set(words)].sort((a, b) => b.length - a.length).join('|');
}

const strongWords = Object.values(STRONG_TYPES).flat();
const weakWords = Object.values(WEAK_TYPES).flat();
const familyOf = new Map<string, BodyFamily>();
for (const [family, words] of [...Object.entries(STRONG_TYPES), ...Object.entries(WEAK_TYPES)] as [
  BodyFamily,
  readonly string[],
][]) {
  for (const word of words) familyOf.set(word, family);
}

const PLACE = `(?:${alternation(PLACES)}|[${HAN}]{1,6}?${ADMIN_SUFFIX})`;
/** A place prefix: national words, then up to three places (山东省济南市历下区). */
const REGION = `(?:${alternation(NATIONAL)})?(?:${PLACE}){0,3}`;
/** One or more type words in a row: 公安局 + 交警支队 is one body, the traffic police of a 公安局. */
const STRONG = `(?:${alternation(strongWords)})+`;
const WEAK = `(?:${alternation(weakWords)})`;
/** A sub-unit, possibly of a district: 公安局 + 历下区 + 分局, 交通警察支队 + 历下 + 大队. */
const UNIT = `(?:(?:${PLACE})?(?:${alternation(UNITS)}))?`;
/** Anything up to twelve characters before a strong type (城关派出所, 东风路派出所, 国家税务总局北京市税务局). */
const ANY_PREFIX = `[${HAN}0-9a-z]{0,12}?`;

/** A whole text that names a government body (a signature's content). */
export const GOVERNMENT_BODY = new RegExp(`^(?:${ANY_PREFIX}${STRONG}${UNIT}|${REGION}${WEAK}${UNIT})$`);
/** A government body at the start of a text (这里是 + 济南交警支队 + 的工作人员). */
export const GOVERNMENT_BODY_AT_START = new RegExp(`^(?:${ANY_PREFIX}${STRONG}${UNIT}|${REGION}${WEAK}${UNIT})`);
/**
 * A government body at the end of a text (上海交警 + 提醒您). A weak type must take the whole text:
 * at the end alone, 社保 in 易社保 would otherwise count.
 */
export const GOVERNMENT_BODY_AT_END = new RegExp(`(?:${ANY_PREFIX}${STRONG}${UNIT}|^${REGION}${WEAK}${UNIT})$`);

/** The last characters a government body's name can end with (a type word's or a sub-unit's). */
export const BODY_NAME_LAST_UNITS: ReadonlySet<number> = new Set(
  [...strongWords, ...weakWords, ...UNITS].map((word) => word.charCodeAt(word.length - 1)),
);

/** A label standing alone (济南交警：…, …。济南市公安局交通警察支队): only a place may precede the type. */
export const GOVERNMENT_LABEL = new RegExp(`^${REGION}(?:${STRONG}|${WEAK})${UNIT}$`);
/** A sub-unit at the end of a body's name (济南交警 + 支队, 海淀法院 + 执行局). */
export const UNIT_AT_END = new RegExp(`(?:${alternation(UNITS)})$`);

const TYPE_WORDS = new RegExp(alternation([...strongWords, ...weakWords]), 'g');
const PLACE_WORDS = new RegExp(`(${alternation(PLACES)})(?:省|市|区|县)?|([${HAN}]{2,3}?)(?:省|市|区|县)`, 'g');

/** The kinds of body a name's type words say it is (empty for 北京协和医院). */
export function bodyFamilies(name: string): Set<BodyFamily> {
  const families = new Set<BodyFamily>();
  TYPE_WORDS.lastIndex = 0;
  for (let match = TYPE_WORDS.exec(name); match !== null; match = TYPE_WORDS.exec(name))
    families.add(familyOf.get(match[0])!);
  return families;
}

/**
 * The places a body name names before its type word, most general first: 山东省济南市交警 →
 * [山东, 济南]. Words that are neither a listed place nor followed by 省/市/区/县 are not places
 * (今天济南交警 → [济南]).
 */
export function claimedPlaces(name: string): string[] {
  TYPE_WORDS.lastIndex = 0;
  const type = TYPE_WORDS.exec(name);
  const prefix = type === null ? name : name.slice(0, type.index);
  const places: string[] = [];
  PLACE_WORDS.lastIndex = 0;
  for (let match = PLACE_WORDS.exec(prefix); match !== null; match = PLACE_WORDS.exec(prefix))
    places.push(match[1] ?? match[2]);
  return places;
}

/**
 * Public-service programmes and services a signature can present as without naming a body:
 * 【医疗保险】, 【社保告知】, 【电子社保卡】, 【个人所得税】, a province's government-service app
 * (【粤省事】, 【辽政通】). Read as a claim of the body that runs the service.
 */
const PUBLIC_SERVICES: Readonly<Partial<Record<BodyFamily, readonly string[]>>> = {
  'human-resources': [
    '社保',
    '社会保险',
    '社会保障',
    '社保卡',
    '社会保障卡',
    '保障卡',
    '电子社保卡',
    '养老保险',
    '养老金',
    '失业保险',
    '失业金',
    '人社',
    '人力保障',
    '12333',
  ],
  'medical-insurance': [
    '医保',
    '医疗保险',
    '医保卡',
    '医疗卡',
    '医保通',
    '医疗保障',
    '医保电子凭证',
    '医保凭证',
    '12393',
  ],
  'housing-fund': ['公积金', '住房公积金', '12329'],
  tax: ['个人所得税', '个税', '退税', '税务', '电子税务局', '12366'],
  'traffic-police': [
    '交通违法',
    '违章查询',
    '违章',
    '违法查询',
    '交管',
    '车辆管理',
    '车管',
    '交通管理',
    '机动车',
    '驾驶证',
    '驾照',
    '12123',
  ],
  'market-regulation': ['工商', '工商管理', '工商行政', '营业执照', '企业年报', '市场监管', '12315'],
  health: ['疫情防控', '核酸检测', '疾控', '防疫', '健康码', '流调', '卫健'],
  court: ['12368', '诉讼服务'],
  'telecom-regulation': ['12300', '工信', '反诈'],
  government: [
    '政务服务',
    '政务',
    '12345',
    '粤省事',
    '粤商通',
    '浙里办',
    '随申办',
    '鄂汇办',
    '皖事通',
    '闽政通',
    '辽事通',
    '辽政通',
    '苏服办',
    '赣服通',
    '渝快办',
    '天府通办',
    '爱山东',
    '豫事办',
    '冀时办',
    '三晋通',
    '蒙速办',
    '吉事办',
    '湘易办',
    '桂通办',
    '京通',
    '津心办',
    '青松办',
    '甘快办',
    '秦务员',
    '新疆政务',
    '一网通办',
    '国家政务服务平台',
    '普发',
    '补贴',
    '惠民补贴',
  ],
};

/** What may follow a service's name inside a signature: 【社保卡服务】, 【医保通知】, 【公积金中心】. */
const SERVICE_ENDINGS = [
  '卡',
  '服务',
  '服务中心',
  '服务平台',
  '服务网',
  '告知',
  '通知',
  '提醒',
  '中心',
  '平台',
  '查询',
  '认证',
  '办理',
  '办',
  '管理',
  '专线',
  '热线',
  '助手',
  '系统',
  '网',
  '通',
  'app',
  '科',
  '处',
  '办公室',
  '部门',
  '温馨提示',
  '温馨提醒',
  '友情提示',
  '重要通知',
  '紧急通知',
  '提示',
  '公告',
  '通告',
];

const serviceWords = Object.values(PUBLIC_SERVICES).flat();
const serviceFamilyOf = new Map<string, BodyFamily>();
for (const [family, words] of Object.entries(PUBLIC_SERVICES) as [BodyFamily, readonly string[]][])
  for (const word of words) serviceFamilyOf.set(word, family);

/**
 * A whole signature (canonical, its notice word already cut off) that names a public service:
 * place, then the service, then what may follow it. The service is group 1.
 */
const PUBLIC_SERVICE_SIGNATURE = new RegExp(
  `^${REGION}(${alternation(serviceWords)})(?:${alternation(SERVICE_ENDINGS)}){0,2}$`,
);

/** The body family of the public service a signature names, or null (【医保通】 → medical-insurance). */
export function publicServiceOf(canonical: string): BodyFamily | null {
  const match = PUBLIC_SERVICE_SIGNATURE.exec(canonical);
  return match === null ? null : (serviceFamilyOf.get(match[1]) ?? null);
}

/** The kinds of body a claimed name says it is: its type words, or the public service it names (【医疗保险】). */
export function claimedFamilies(canonical: string): Set<BodyFamily> {
  const families = bodyFamilies(canonical);
  if (families.size === 0) {
    const service = publicServiceOf(canonical);
    if (service !== null) families.add(service);
  }
  return families;
}
