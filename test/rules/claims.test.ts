import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { render } from '../../server/i18n/phrase.ts';
import { isValidUscc } from '../../server/numbering/uscc.ts';
import {
  ClaimDetector,
  impersonation,
  lookalikeSignature,
  type Claim,
  type ProtectedSenderRef,
  type RegisteredEntity,
} from '../../server/rules/claims/index.ts';
import { filedSignatures, signaturesOf } from '../../server/rules/signatures.ts';
import type { AuditSnapshot } from '../../server/rules/types.ts';

const FIXTURE = new URL('../fixtures/impersonation/', import.meta.url);
const protectedSenders: ProtectedSenderRef[] = JSON.parse(
  readFileSync(new URL('protected_senders.json', FIXTURE), 'utf8'),
);

interface LabelledMessage {
  content: string;
  registered: RegisteredEntity | null;
  impersonation: boolean;
  lookalike: boolean;
  note: string;
}
const messages: LabelledMessage[] = JSON.parse(readFileSync(new URL('messages.json', FIXTURE), 'utf8'));

const detector = new ClaimDetector(protectedSenders);

function senderNamed(name: string): ProtectedSenderRef {
  const sender = protectedSenders.find((candidate) => candidate.name === name);
  if (sender === undefined) throw new Error(`no protected sender ${name} in the fixture`);
  return sender;
}

const JINAN_TRAFFIC_POLICE = senderNamed('济南市公安局交通警察支队');
const BEIJING_TRAFFIC_POLICE = senderNamed('北京市公安局公安交通管理局');
const TRAFFIC_MANAGEMENT_BUREAU = senderNamed('公安部交通管理局');

/** Registered entities (USCCs from the fixture, so they pass the check). */
const jinanTrafficPolice: RegisteredEntity = { uscc: JINAN_TRAFFIC_POLICE.uscc!, name: JINAN_TRAFFIC_POLICE.name };
const company = messages.find((row) => row.registered?.name === '济南通达信息技术有限公司')!.registered!;
const weifangTrafficPolice = messages.find((row) => row.registered?.name === '潍坊市公安局交通警察支队')!.registered!;
const qingdaoTrafficPolice = messages.find((row) => row.registered?.name === '青岛市公安局交通警察支队')!.registered!;
const hospital = messages.find((row) => row.registered?.name === '北京协和医院')!.registered!;
const cdc = messages.find((row) => row.registered?.name === '北京市疾病预防控制中心')!.registered!;
const hailingCourt = messages.find((row) => row.registered?.name === '泰州市海陵区人民法院')!.registered!;

/** The only claim of a message; fails the test when there is not exactly one. */
function onlyClaim(content: string): Claim {
  const claims = detector.claims(content);
  expect(claims, `claims of ${content}`).to.have.length(1);
  return claims[0];
}

function governmentClaims(content: string): Claim[] {
  return detector.claims(content).filter((claim) => claim.government);
}

describe('ClaimDetector: signatures', () => {
  it('reads a 【】 signature at the start, with its text and span in the original', () => {
    const content = '【济南交警】您的驾驶证即将到期。';
    const claim = onlyClaim(content);
    expect(claim).to.include({
      text: '济南交警',
      start: 1,
      end: 5,
      kind: 'signature',
      match: 'exact',
      government: true,
    });
    expect(claim.protectedSender).to.equal(JINAN_TRAFFIC_POLICE);
  });

  it('reads a 【】 signature in the middle of the text', () => {
    expect(onlyClaim('尊敬的车主，【济南交警】请及时缴纳罚款。')).to.include({
      text: '济南交警',
      start: 7,
      kind: 'signature',
    });
  });

  it('reads a 【】 signature at the end of the text', () => {
    const content = '您有违章未处理，详见 dwz.cn/a1 【济南交警】';
    expect(onlyClaim(content)).to.include({ text: '济南交警', end: content.length - 1 });
  });

  it('reads every signature of a message, in order', () => {
    const claims = detector.claims('【顺丰速运】您的快件已到。【北京交警】您有违章。');
    expect(claims.map((claim) => [claim.text, claim.government])).to.deep.equal([
      ['顺丰速运', false],
      ['北京交警', true],
    ]);
  });

  it('reads 〖〗 anywhere as a signature', () => {
    expect(onlyClaim('请点击查看〖海淀法院〗电子传票')).to.include({
      text: '海淀法院',
      kind: 'signature',
      match: 'exact',
    });
  });

  it('reads square brackets, parentheses, 〔〕 and 「」 as a signature at the start', () => {
    for (const content of [
      '[北京交警]您的驾照即将过期。',
      '(北京交警)您的驾照即将过期。',
      '〔北京交警〕您的驾照即将过期。',
      '「北京交警」您的驾照即将过期。',
      '［北京交警］您的驾照即将过期。',
    ]) {
      expect(onlyClaim(content), content).to.include({ text: '北京交警', kind: 'signature', government: true });
    }
  });

  it('reads a substitute bracket at the very end as a signature when it names a body', () => {
    expect(onlyClaim('您有违章未处理[北京交警]')).to.include({ text: '北京交警', kind: 'signature' });
  });

  it('does not read square brackets in the middle of the text as a signature', () => {
    expect(detector.claims('【招商银行】您的信用卡[3月]账单已出。').map((claim) => claim.text)).to.deep.equal([
      '招商银行',
    ]);
  });

  it('does not read a part counter such as (1/2) as a signature', () => {
    expect(detector.claims('(1/2)【中国移动】您的套餐余量如下。').map((claim) => claim.text)).to.deep.equal([
      '中国移动',
    ]);
  });

  it('reads a signature whose brackets do not pair (【…])', () => {
    expect(onlyClaim('【济南交警]您的违章罚款已逾期。')).to.include({ text: '济南交警', kind: 'signature' });
  });

  it('finds no claim in an empty message', () => {
    expect(detector.claims('')).to.deep.equal([]);
  });

  it('reports a company signature as a claim that is not a government body', () => {
    expect(onlyClaim('【交通银行】您的动态验证码为482913。')).to.include({
      match: 'none',
      government: false,
      protectedSender: null,
    });
  });

  it('reads a signature it has read before as a detector that never saw it would, at its new place', () => {
    const seen = new ClaimDetector(protectedSenders);
    const contents = messages.map((row) => row.content);
    for (const content of contents) seen.claims(content);
    // The same signatures again, after another one so that none is the detector's last message,
    // and moved: a word before each message shifts every span.
    for (const content of contents) {
      seen.claims('【交通银行】您好。');
      const moved = `通知：${content}`;
      expect(seen.claims(moved), moved).to.deep.equal(new ClaimDetector(protectedSenders).claims(moved));
    }
    // A signature's text as written decides its reading together with its place: the same text
    // in substitute brackets is read at the start of a message and left alone at its end.
    expect(seen.claims('[交通银行]您好')).to.have.length(1);
    expect(seen.claims('您好[交通银行]')).to.deep.equal([]);
    // Each message's claims are its own: changing one leaves the next reading of the signature alone.
    const [changed] = seen.claims('【济南交警】您有一条违章记录。');
    Object.assign(changed, { government: false, match: 'none', protectedSender: null });
    for (const content of ['【济南交警】请及时处理。', '【交通银行】请及时处理。']) {
      expect(seen.claims(content)).to.deep.equal(new ClaimDetector(protectedSenders).claims(content));
    }
    expect(seen.claims('【济南交警】请核对。')[0]).to.include({ government: true });
  });

  it('reads the same claims when the caller hands over the signatures it found (filed or not, as written or disguised)', () => {
    // Every signature text of the fixture filed, and a few disguises of filed ones besides:
    // 【济南 交警】 files as 济南交警 but is not written as filed, so it must not take 济南交警's reading.
    const contents = [
      ...messages.map((row) => row.content),
      '【济南交警】您有一条违章记录。',
      '【济南 交警】您有一条违章记录。',
      '【济南交警 】请处理。',
      '【交通银行】您好。',
    ];
    const texts = new Set(
      contents.flatMap((content) => [...content.matchAll(/【([^【】\n]{1,40})】/g)].map((match) => match[1])),
    );
    texts.add('济南交警');
    const filing = (order: string[]) =>
      filedSignatures({
        entities: new Map(
          order.map((text, i) => [`E${i}`, { id: i, uscc: `E${i}`, name: text, kind: null, signatures: [text] }]),
        ),
      } as unknown as AuditSnapshot);
    const filed = filing([...texts]);
    const told = new ClaimDetector(protectedSenders);
    let filedSeen = 0;
    for (const content of [...contents, ...contents]) {
      const known = signaturesOf(content, filed);
      filedSeen += known.filter((signature) => signature.filed !== null).length;
      expect(told.claims(content, known), content).to.deep.equal(new ClaimDetector(protectedSenders).claims(content));
    }
    expect(filedSeen).to.be.greaterThan(contents.length);
    // Signatures numbered otherwise (another snapshot's filing) told to the same detector: each
    // number now names another text, and the readings must still be each text's own.
    const renumbered = filing([...texts].reverse());
    for (const content of contents) {
      expect(told.claims(content, signaturesOf(content, renumbered)), content).to.deep.equal(
        new ClaimDetector(protectedSenders).claims(content),
      );
    }
    expect(told.claims('【济南 交警】请核对。', signaturesOf('【济南 交警】请核对。', filed))[0]).to.include({
      match: 'normalised',
    });
  });
});

describe('ClaimDetector: disguises of a protected name', () => {
  const normalised: [string, string][] = [
    ['traditional characters', '【濟南交警】您的駕考預約已成功。'],
    ['full-width digits', '【交管１２１２３】您的驾驶证即将注销。'],
    ['circled numbers (NFKC)', '【交管⑫①②③】您的车辆年检逾期。'],
    ['a Kangxi radical (NFKC)', '【北京⼈社】您的失业金申领已通过。'],
    ['spaces between characters', '【济 南 交 警】您的驾考已取消。'],
    ['an ideographic space', '【济南　交警】您的驾考已取消。'],
    ['U+200B zero-width space', '【济南\u200B交警】您的驾考已取消。'],
    ['U+200C zero-width non-joiner', '【济南\u200C交警】您的驾考已取消。'],
    ['U+200D zero-width joiner', '【济南\u200D交警】您的驾考已取消。'],
    ['U+FEFF', '【济南\uFEFF交警】您的驾考已取消。'],
    ['U+2060 word joiner', '【济南\u2060交警】您的驾考已取消。'],
    ['a trailing zero-width space', '【济南交警\u200B】您的驾考已取消。'],
    ['middle dots between characters', '【济·南·交·警】您的驾考已取消。'],
    ['a comma inside the signature', '【济南，交警】您的驾考已取消。'],
    ['an emoji between characters', '【济南🚨交警】您的驾考已取消。'],
    ['capital I for 1', '【交管I2I23】您有违章未处理。'],
    ['lower-case l for 1', '【交管l2123】您有违章未处理。'],
    ['Cyrillic Ze for 3', '【交管1212З】您有违章未处理。'],
    ['mathematical bold digits', '【交管𝟏𝟐𝟏𝟐𝟑】您有违章未处理。'],
    ['亰 for 京', '【北亰交警】您有违章未处理。'],
    ['巿 for 市', '【上海巿公安局交通警察总队】您有违章未处理。'],
    ['菅 for 管', '【交菅12123】您有违章未处理。'],
  ];
  for (const [disguise, content] of normalised) {
    it(`sees through ${disguise}`, () => {
      const claim = onlyClaim(content);
      expect(claim.match, content).to.equal('normalised');
      expect(claim.government).to.equal(true);
      expect(claim.protectedSender).to.not.equal(null);
      expect(content.slice(claim.start, claim.end)).to.equal(claim.text);
    });
  }

  it("takes 济南市公安局交通管理局 as an abbreviation of Jinan's 交通警察支队", () => {
    const claim = onlyClaim('【济南市公安局交通管理局】您已预约科目一考试。');
    expect(claim).to.include({ match: 'abbreviation', protectedSender: JINAN_TRAFFIC_POLICE });
  });

  it('takes 广州交警 as an abbreviation when no alias lists it', () => {
    expect(onlyClaim('【广州交警】您的车辆违停未处理。')).to.include({
      match: 'abbreviation',
      protectedSender: senderNamed('广州市公安局交通警察支队'),
    });
  });

  it('takes 海淀区法院 and 浦东新区法院 as district abbreviations of their courts', () => {
    expect(onlyClaim('【海淀区法院】您有一张传票。').protectedSender).to.equal(senderNamed('北京市海淀区人民法院'));
    expect(onlyClaim('【浦东新区法院】您有一张传票。').protectedSender).to.equal(senderNamed('上海市浦东新区人民法院'));
  });

  it('calls an abbreviation written with a disguise normalised', () => {
    expect(onlyClaim('【濟南交警支隊】您的駕駛證已被暫扣。')).to.include({
      match: 'normalised',
      protectedSender: JINAN_TRAFFIC_POLICE,
    });
  });

  it('finds a name one character away from a protected one', () => {
    expect(onlyClaim('【北京市公安局公安交通管里局】您的驾考预约已成功。')).to.include({
      match: 'lookalike',
      protectedSender: BEIJING_TRAFFIC_POLICE,
    });
    expect(onlyClaim('【交管12128】您的驾驶证即将注销。')).to.include({
      match: 'lookalike',
      protectedSender: TRAFFIC_MANAGEMENT_BUREAU,
    });
    expect(onlyClaim('【济南交警队】您的驾考已取消。')).to.include({
      match: 'lookalike',
      protectedSender: JINAN_TRAFFIC_POLICE,
    });
  });

  it('does not take another real four-character name one edit away for a lookalike (北京人寿, 北京公寓)', () => {
    expect(onlyClaim('【北京人寿】您的保单已生效。')).to.include({ match: 'none', government: false });
    expect(onlyClaim('【北京公寓】您的租约将到期。')).to.include({ match: 'none', government: false });
  });

  it('does not take a hospital one edit from a court for a lookalike (海淀区医院)', () => {
    expect(onlyClaim('【海淀区医院】您已预约内科门诊。')).to.include({ match: 'none', government: false });
  });
});

describe('ClaimDetector: the shape of a government body', () => {
  for (const body of [
    '潍坊交警',
    '青岛税务局',
    '历下区派出所',
    '国家反诈中心',
    '12345',
    '北京海关',
    '消防救援支队',
    '济南市人民政府',
    '朝阳法院',
    '济南市检察院',
    '潍坊人社',
    '北京疾控',
    '工信部',
    '交通运输部',
    '济南市公安局历下区分局',
  ]) {
    it(`takes 【${body}】 for a government body`, () => {
      expect(onlyClaim(`【${body}】您有一条待办事项。`)).to.include({
        match: 'pattern',
        government: true,
        protectedSender: null,
      });
    });
  }

  for (const name of [
    '交通银行',
    '国家电网',
    '中国移动',
    '易社保',
    '安泰消防',
    '中税税务师事务所',
    '中国平安',
    '北京交通大学',
    '济南交通广播',
    '公安县农商银行',
    'ETC服务',
  ]) {
    it(`does not take 【${name}】 for a government body`, () => {
      expect(onlyClaim(`【${name}】您有一条待办事项。`)).to.include({ government: false });
    });
  }
});

describe('ClaimDetector: self-identification in the text', () => {
  const claims: [string, string][] = [
    ['这里是X', '这里是济南交警支队，您的车辆存在违法未处理。'],
    ['这边是X', '您好，这边是济南交警支队，您的押金可以退还。'],
    ['我是X的工作人员', '我是深圳交警的工作人员，请点击链接认证。'],
    ['我是X工作人员', '您好！我是济南人社局工作人员，请重新认证。'],
    ['X提醒您', '尊敬的车主，济南交警提醒您：您的罚款已逾期。'],
    ['X通知您', '北京市海淀区人民法院通知您：您涉及一宗诉讼。'],
    ['X温馨提示', '上海交警温馨提示：您的车辆违停已被记录。'],
    ['X通知：', '济南交警通知：您的驾考报名已成功。'],
    ['a leading X：', '济南交警：您的车辆违章未处理。'],
    ['X alone after the last sentence', '您的车辆违章未处理，请于三日内处理。济南交警'],
    ['本人系X', '本人系北京市朝阳区人民法院书记员，请缴纳保全费。'],
  ];
  for (const [shape, content] of claims) {
    it(`reads ${shape}`, () => {
      const found = governmentClaims(content);
      expect(found, content).to.have.length(1);
      expect(found[0].kind).to.equal('self-identification');
      expect(content.slice(found[0].start, found[0].end)).to.equal(found[0].text);
    });
  }

  it("gives the body's name, not the words before it, as the claim (今天济南交警提醒您)", () => {
    expect(governmentClaims('今天济南交警提醒您：驾驶证将被注销。')[0]).to.include({
      text: '济南交警',
      match: 'exact',
    });
  });

  it('reads a sub-unit of a protected body as a claim of that body', () => {
    expect(
      governmentClaims('您好，这里是济南市公安局交通警察支队车管所，您的驾考预约失败。')[0].protectedSender,
    ).to.equal(JINAN_TRAFFIC_POLICE);
  });

  it('reads traditional characters in the text', () => {
    expect(governmentClaims('這裡是濟南交警支隊，您的車輛有違法未處理。')[0]).to.include({
      match: 'normalised',
      protectedSender: JINAN_TRAFFIC_POLICE,
    });
  });

  it('reads speaker words only where one is written whole, the first listed where several could start', () => {
    const kinds = (content: string) => detector.claims(content).map((claim) => [claim.kind, claim.text]);
    // 提 starts speaker words (提醒您…) and 的工作人员 ends with 工作人员, but 提工作人员 is neither.
    expect(kinds('【交通银行】交通银行提工作人员')).to.deep.equal([['signature', '交通银行']]);
    expect(kinds('【交通银行】交通银行工作人员')).to.deep.equal([
      ['signature', '交通银行'],
      ['self-identification', '交通银行'],
    ]);
    // 我这边是 is tried before 我是 could be found further on: the name is what follows the whole words.
    expect(governmentClaims('我这边是济南交警，您的车辆违章未处理。')[0]).to.include({ text: '济南交警' });
    // A word's start at the very end of the message (提) reads nothing past it.
    expect(kinds('尊敬的客户，招商银行提')).to.deep.equal([]);
  });

  it('reads a lone surrogate as the replacement character it becomes in the folded text', () => {
    // No stored message holds one; a caller's string may. The name before it is still a label.
    const content = '您好，请按时缴费。济南交警\uDC00';
    expect(detector.claims(content)).to.deep.equal(detector.claims('您好，请按时缴费。济南交警\uFFFD'));
    expect(governmentClaims(content).map((claim) => claim.text)).to.deep.equal(['济南交警']);
  });

  const mentions = [
    '【招商银行】谨防冒充公检法诈骗，银行工作人员不会索要验证码。',
    '【招商银行】如遇冒充公安的电话要求转账，请立即挂断。',
    '【鑫源科技】您的电子发票已开具，可到税务局官网查询真伪。',
    '【鑫源科技】请先登录交管12123 App查询违章。',
    '【国家电网】尊敬的客户，您户号0100234567本期电费128.40元。',
    '【中国移动】如有人自称“我是公安局工作人员”要求转账，请立即挂断。',
    '【招商银行】接到电话说“这里是海淀法院”，要求您转账的，均为诈骗。',
    '【招商银行】谨防冒充济南交警通知您缴纳罚款的诈骗短信。',
    '【中国移动】不法分子冒充北京交警发送短信，请勿相信。',
    '【招商银行】交警不会通过短信要求您缴纳罚款。',
    '【招商银行】根据中国人民银行规定，您的账户需完善身份信息。',
    '【国网北京电力】停电通知：因线路检修，5月6日停电。',
    '【顺丰速运】您的快件已到达北京海淀区法院路驿站。',
  ];
  for (const content of mentions) {
    it(`takes no government claim from a mention: ${content}`, () => {
      expect(governmentClaims(content)).to.deep.equal([]);
    });
  }
});

describe('impersonation (GOV_IMPERSONATION)', () => {
  it('flags a government signature when nobody held the number', () => {
    const verdict = impersonation(detector, '【济南交警】您已成功预约科目三考试。', null);
    expect(verdict?.claim.text).to.equal('济南交警');
  });

  it('flags a government signature sent by a company (USCC 91…)', () => {
    expect(impersonation(detector, '【济南交警】您已成功预约科目三考试。', company)).to.not.equal(null);
  });

  it('does not flag the protected body itself', () => {
    expect(impersonation(detector, '【济南交警】您的驾驶证即将到期。', jinanTrafficPolice)).to.equal(null);
  });

  it('flags another government organ signing as a protected body (USCCs differ)', () => {
    expect(impersonation(detector, '【济南交警】您的车辆有违法记录。', weifangTrafficPolice)).to.not.equal(null);
  });

  it('flags a public institution signing as a protected body', () => {
    expect(impersonation(detector, '【北京交警】您的机动车有违章未处理。', hospital)).to.not.equal(null);
  });

  it('does not flag an unlisted government body sending under its own name', () => {
    expect(impersonation(detector, '【潍坊交警】您的机动车年检即将到期。', weifangTrafficPolice)).to.equal(null);
  });

  it('flags a government body that names another place (青岛 signing as 潍坊交警)', () => {
    expect(impersonation(detector, '【潍坊交警】您的驾驶证已被暂扣。', qingdaoTrafficPolice)).to.not.equal(null);
  });

  it('flags a public institution that names another kind of body (a hospital signing as 交警大队)', () => {
    expect(impersonation(detector, '【交警大队】您的车辆违停已被记录。', hospital)).to.not.equal(null);
  });

  it('does not flag a public institution under its own kind of name (the CDC as 北京疾控)', () => {
    expect(impersonation(detector, '【北京疾控】流感高发季，请做好个人防护。', cdc)).to.equal(null);
  });

  it('does not flag a court whose own name is one edit from a protected court (海陵区法院)', () => {
    expect(impersonation(detector, '【海陵区法院】您的案件已立案。', hailingCourt)).to.equal(null);
  });

  it('does not flag a company message that only mentions a government body', () => {
    expect(impersonation(detector, '【鑫源科技】您的电子发票已开具，可到税务局官网查询真伪。', company)).to.equal(null);
  });

  it('flags a text self-identification as well as a signature', () => {
    const verdict = impersonation(detector, '这里是济南交警支队，您的车辆存在违法未处理。', company);
    expect(verdict?.claim.kind).to.equal('self-identification');
  });

  it('gives its reason in one Chinese sentence and in English', () => {
    const verdict = impersonation(detector, '【济南交警】您已成功预约科目三考试。', company)!;
    expect(render('zh-CN', verdict.reason)).to.match(
      /^短信以“济南交警”（济南市公安局交通警察支队）的名义签名，[^。]*。$/,
    );
    expect(render('zh-CN', verdict.reason)).to.include(company.name);
    expect(render('en', verdict.reason)).to.match(/^The message signs as "济南交警"/);
  });
});

describe('lookalikeSignature (LOOKALIKE_SIGNATURE)', () => {
  it('flags a disguised protected signature sent by someone else', () => {
    const verdict = lookalikeSignature(detector, '【濟南交警】您的駕考預約已成功。', company);
    expect(verdict?.claim.match).to.equal('normalised');
    expect(render('zh-CN', verdict!.reason)).to.match(/^签名“濟南交警”与受保护发送方“济南市公安局交通警察支队”/);
  });

  it('flags a one-edit signature when nobody held the number', () => {
    expect(
      lookalikeSignature(detector, '【北京市公安局公安交通管里局】您的驾考预约已成功。', null)?.claim.match,
    ).to.equal('lookalike');
  });

  it('leaves an exact protected signature to GOV_IMPERSONATION', () => {
    expect(lookalikeSignature(detector, '【济南交警】您已成功预约科目三考试。', company)).to.equal(null);
  });

  it('does not flag the owner writing its own name in traditional characters', () => {
    expect(lookalikeSignature(detector, '【濟南交警】您的駕駛證換證業務已辦結。', jinanTrafficPolice)).to.equal(null);
  });

  it('does not flag a disguise in the text, which is not a signature', () => {
    expect(lookalikeSignature(detector, '這裡是濟南交警支隊，您的車輛有違法未處理。', company)).to.equal(null);
  });

  it('does not flag a registered body whose own name is one edit from a protected one', () => {
    expect(lookalikeSignature(detector, '【海陵区法院】您的案件已立案。', hailingCourt)).to.equal(null);
  });
});

describe('the labelled fixture', () => {
  it('holds at least 320 messages, every registered USCC passing the check', () => {
    expect(messages.length).to.be.at.least(320);
    for (const row of messages)
      if (row.registered !== null) expect(isValidUscc(row.registered.uscc), row.registered.uscc).to.equal(true);
    for (const sender of protectedSenders)
      if (sender.uscc !== null) expect(isValidUscc(sender.uscc), sender.uscc).to.equal(true);
  });

  /** Precision and recall of `decide` against the label `expected` over the whole fixture. */
  function score(decide: (row: LabelledMessage) => boolean, expected: (row: LabelledMessage) => boolean) {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    const wrong: string[] = [];
    for (const row of messages) {
      const decided = decide(row);
      if (decided && expected(row)) truePositives++;
      else if (decided) falsePositives++;
      else if (expected(row)) falseNegatives++;
      if (decided !== expected(row)) wrong.push(`${decided ? 'FP' : 'FN'} ${row.content} (${row.note})`);
    }
    return {
      precision: truePositives / (truePositives + falsePositives),
      recall: truePositives / (truePositives + falseNegatives),
      truePositives,
      falsePositives,
      falseNegatives,
      wrong,
    };
  }

  it('finds GOV_IMPERSONATION with recall ≥ 0.98 and precision ≥ 0.95', () => {
    const result = score(
      (row) => impersonation(detector, row.content, row.registered) !== null,
      (row) => row.impersonation,
    );
    console.log(
      `      GOV_IMPERSONATION over ${messages.length} messages: precision ${result.precision.toFixed(4)}, recall ${result.recall.toFixed(4)} (TP ${result.truePositives}, FP ${result.falsePositives}, FN ${result.falseNegatives})`,
    );
    expect(result.recall, result.wrong.join('\n')).to.be.at.least(0.98);
    expect(result.precision, result.wrong.join('\n')).to.be.at.least(0.95);
  });

  it('finds LOOKALIKE_SIGNATURE with recall ≥ 0.98 and precision ≥ 0.95', () => {
    const result = score(
      (row) => lookalikeSignature(detector, row.content, row.registered) !== null,
      (row) => row.lookalike,
    );
    console.log(
      `      LOOKALIKE_SIGNATURE over ${messages.length} messages: precision ${result.precision.toFixed(4)}, recall ${result.recall.toFixed(4)} (TP ${result.truePositives}, FP ${result.falsePositives}, FN ${result.falseNegatives})`,
    );
    expect(result.recall, result.wrong.join('\n')).to.be.at.least(0.98);
    expect(result.precision, result.wrong.join('\n')).to.be.at.least(0.95);
  });
});
