/**
 * Top-level domains that make a bare "label.tld" in message text count as a web address.
 *
 * A URL written with a scheme (`https://…`) is a URL whatever its TLD. Without one, the TLD is
 * the only thing separating `t.cn/A6x` from `3.5元`, `v1.2.3` or `合同.pdf`, so it must be a real
 * TLD. This is a curated list, not IANA's ~1,450 entries: every country code, the legacy generic
 * ones, and the new generic ones that show up in Chinese SMS spam and fraud reports. Keep it as
 * data; extend it when a missed TLD turns up in traffic.
 */
/** ISO 3166 country codes delegated as ccTLDs, plus ac, eu, su and uk. */
const COUNTRY_CODES =
  'ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo bq br bs bt bw by bz ' +
  'ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu ' +
  'fi fj fk fm fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu ' +
  'id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ' +
  'ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om ' +
  'pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz ' +
  'tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw';

const GENERIC =
  'com net org info biz edu gov mil int mobi name pro asia tel travel aero coop jobs museum cat post ' +
  // New gTLDs seen in Chinese spam, fraud reports and registrars' cheap offers.
  'top xyz vip club shop site online fun icu live life link work win store tech cloud app dev ltd wang ren xin ' +
  'ink art design space website press host email group team world today news red pink blue gold kim fit run ' +
  'love one global company center city plus cool wiki tips zone social services support chat games bet casino ' +
  'loan money finance fund cash credit buzz monster cyou sbs cfd bond rest bar best fans baby click help men ' +
  'mom lol party review science trade date faith racing stream bid cricket gdn';

/** Chinese-script TLDs, written as people type them (hosts are converted to punycode later). */
const CHINESE_SCRIPT = [
  '中国',
  '中國',
  '公司',
  '网络',
  '在线',
  '网址',
  '网店',
  '商城',
  '商标',
  '集团',
  '我爱你',
  '手机',
  '中文网',
  '香港',
  '台湾',
  '台灣',
  '游戏',
];

/**
 * Country codes that are far more often file extensions than domains in an SMS (README.md,
 * run.py, setup.sh, main.rs, build.pl), and new gTLDs named after extensions (.zip, .mov): they
 * are URLs only with a scheme.
 */
const FILE_EXTENSION_LOOKALIKES = new Set(['md', 'py', 'sh', 'rs', 'pl', 'zip', 'mov']);

const words = (list: string) => list.split(/\s+/).filter((word) => word !== '');

/** Lower-case TLDs accepted after a bare host (no scheme). */
export const BARE_URL_TLDS: ReadonlySet<string> = new Set(
  [...words(COUNTRY_CODES), ...words(GENERIC)].filter((tld) => !FILE_EXTENSION_LOOKALIKES.has(tld)),
);

/** Chinese-script TLDs as typed (`中国`), longest first so a prefix match takes the whole TLD. */
export const CHINESE_SCRIPT_TLDS: readonly string[] = [...CHINESE_SCRIPT].sort((a, b) => b.length - a.length);
