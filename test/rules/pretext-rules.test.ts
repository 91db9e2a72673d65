import { expect } from 'chai';
import { render } from '../../server/i18n/phrase.ts';
import { govImpersonation } from '../../server/rules/impersonationRules.ts';
import { brandImpersonationRule, officialPretextRule } from '../../server/rules/pretextRules.ts';
import { unfiledSignature } from '../../server/rules/unfiledSignature.ts';
import { agentParty, audit, CMCC, entityParty, grant, message, snapshotOf } from '../support/snapshot.ts';

const AGENT = agentParty('91370100MA07GGGG7', '济南鸿信信息技术有限公司');
const TRADER = entityParty('91440300MA08HHHH8', '深圳市腾跃鑫商贸有限公司');
const INSURANCE_BUREAU = entityParty('11370100MB1234599', '济南市医疗保障局');
const BANK = entityParty('91100000100003962', '中国工商银行股份有限公司');
const root = grant('1069228351', CMCC, AGENT);
const traderGrant = grant('106922835106', AGENT, TRADER, { parent: root });
const bureauGrant = grant('106922835107', AGENT, INSURANCE_BUREAU, { parent: root });
const bankGrant = grant('106922835108', AGENT, BANK, { parent: root });
const snapshot = snapshotOf([root, traderGrant, bureauGrant, bankGrant], {
  protectedSenders: [
    { name: '济南市公安局交通警察支队', uscc: null, aliases: ['济南交警'] },
    { name: '中国工商银行', uscc: BANK.key, aliases: ['工商银行', '工行', '95588'] },
    { name: '中国移动', uscc: null, aliases: ['10086'] },
    { name: '交通银行', uscc: null, aliases: ['交行', '95559'] },
    { name: '国家移民管理局', uscc: null, aliases: [] },
  ],
  entities: [{ uscc: TRADER.key, signatures: ['腾跃鑫'] }],
});
const at = '2022-03-14T09:30:00+08:00';
const TRADER_NUMBER = '10692283510601';
const BUREAU_NUMBER = '10692283510701';
const BANK_NUMBER = '10692283510801';

describe('OFFICIAL_PRETEXT as an audit rule', () => {
  const pretext = '您的医保账户已停用，请于3月20日前登录 www.yb-check.cn 更新信息';

  it("flags an official matter with pressure and a link from a trading firm's number, high, naming each cue and its span", () => {
    const findings = audit(officialPretextRule, snapshot, { messages: [message(TRADER_NUMBER, at, pretext, 'P1')] });
    expect(findings.map((f) => [f.rule, f.severity, f.agent, f.entity, f.message?.ref])).to.deep.equal([
      ['OFFICIAL_PRETEXT', 'high', AGENT.key, TRADER.key, 'P1'],
    ]);
    const { cues, facts, span } = findings[0].evidence;
    expect(cues!.map((cue) => [cue.kind, cue.text, pretext.slice(cue.start, cue.end)])).to.deep.equal([
      ['topic', '医保', '医保'],
      ['pressure', '停用', '停用'],
      ['channel', 'www.yb-check.cn', 'www.yb-check.cn'],
    ]);
    expect(span).to.deep.equal({ start: 2, end: 4 });
    expect(facts).to.deep.equal({ cue_topic: '医保', cue_pressure: '停用', cue_channel: 'www.yb-check.cn' });
    expect(render('zh-CN', findings[0].text))
      .to.include('事由“医保”、施压“停用”、渠道“www.yb-check.cn”')
      .and.to.include('深圳市腾跃鑫商贸有限公司');
    expect(render('en', findings[0].text)).to.include('matter "医保", pressure "停用", channel "www.yb-check.cn"');
  });

  it("leaves the medical-insurance bureau's own number alone", () => {
    expect(audit(officialPretextRule, snapshot, { messages: [message(BUREAU_NUMBER, at, pretext)] })).to.deep.equal([]);
  });

  it('does not read a warning, a code or a finished matter as a pretext', () => {
    const texts = [
      '【腾跃鑫】提醒：近期有不法分子冒充医保局发短信称医保账户停用，请勿点击链接。',
      '【腾跃鑫】您的验证码为384021，5分钟内有效，请勿泄露。',
      '【腾跃鑫】您的订单已发货，运单号SF1234567890。',
    ];
    expect(
      audit(officialPretextRule, snapshot, { messages: texts.map((text) => message(TRADER_NUMBER, at, text)) }),
    ).to.deep.equal([]);
  });

  it('reads a lookalike character the way the claims do (列入 written 列人)', () => {
    const findings = audit(officialPretextRule, snapshot, {
      messages: [message(TRADER_NUMBER, at, '您的店铺已列人异常名录，将被罚款，保留请回1')],
    });
    expect(findings.map((f) => f.evidence.cues!.map((cue) => cue.kind))).to.deep.equal([
      ['topic', 'pressure', 'channel'],
    ]);
  });

  it('counts a reply code beside a marketing opt-out, and a link beside a warning word, as ways to act', () => {
    const messages = [
      message(TRADER_NUMBER, at, '您有一笔个税退税待领取，逾期作废，谨防他人冒领，确认领取回1，回T退订'),
      message(TRADER_NUMBER, at, '您的社保卡存在虚假参保信息将被停用，请登录 http://sb-gx.cn 更新'),
    ];
    expect(audit(officialPretextRule, snapshot, { messages }).map((f) => f.evidence.facts?.cue_channel)).to.deep.equal([
      '回1',
      'http://sb-gx.cn',
    ]);
  });

  it('does not take a greeting for the reader holding the matter', () => {
    expect(
      audit(officialPretextRule, snapshot, {
        messages: [message(TRADER_NUMBER, at, '【腾跃鑫】您好，本月社保将于25日前扣缴，请确保余额充足。')],
      }),
    ).to.deep.equal([]);
  });

  it('leaves a message that names the body to GOV_IMPERSONATION, so one text is one critical finding', () => {
    const messages = [
      message(TRADER_NUMBER, at, '【济南交警】您有一条违章记录未处理，逾期将扣分，请点击 jnjj-wz.cn 处理'),
    ];
    expect(audit([govImpersonation, officialPretextRule], snapshot, { messages }).map((f) => f.rule)).to.deep.equal([
      'GOV_IMPERSONATION',
    ]);
  });
});

describe('BRAND_IMPERSONATION as an audit rule', () => {
  it("flags a protected bank's signature from a trading firm's number, high", () => {
    const findings = audit(brandImpersonationRule, snapshot, {
      messages: [message(TRADER_NUMBER, at, '【中国工商银行】您的电子密码器即将失效，请登录 wap.icbc-sj.com 升级')],
    });
    expect(findings.map((f) => [f.rule, f.severity, f.evidence.facts?.matchedSender])).to.deep.equal([
      ['BRAND_IMPERSONATION', 'high', '中国工商银行'],
    ]);
    expect(render('zh-CN', findings[0].text)).to.include('以“中国工商银行”的名义签名');
  });

  it("takes a number the brand lists (【95588】) as its signature, and a bank's customer addressed with pressure and a link", () => {
    const messages = [
      message(TRADER_NUMBER, at, '【95588】尊敬的客户，您的积分即将清零，请登录 jf-95588.cn 兑换'),
      message(TRADER_NUMBER, at, '尊敬的工行储户，您的网银将于今日失效，请速登录 wap.icbciha.com 更新'),
    ];
    // 工行 is two characters: read anywhere in a text it would stand inside 施工行业; the customer word 储户 says bank.
    expect(
      audit(brandImpersonationRule, snapshot, { messages }).map(
        (f) => f.evidence.facts?.matchedSender ?? f.evidence.facts?.cue_sector,
      ),
    ).to.deep.equal(['中国工商银行', '储户']);
  });

  it("flags a kind of business spoken for without a name (您的ETC), and leaves the bank's own alerts alone", () => {
    const etc = audit(brandImpersonationRule, snapshot, {
      messages: [message(TRADER_NUMBER, at, '尊敬的车主，您的ETC认证已失效，请点击 etc-rz.cn 重新认证')],
    });
    expect(etc.map((f) => [f.rule, f.evidence.facts?.cue_sector])).to.deep.equal([['BRAND_IMPERSONATION', 'ETC']]);
    expect(render('zh-CN', etc[0].text)).to.include('ETC 发行方');
    const own = [
      message(BANK_NUMBER, at, '【工商银行】您的电子密码器即将失效，请登录手机银行升级'),
      message(BANK_NUMBER, at, '【中国工商银行】您尾号1234卡3月14日支出100元，余额900元。'),
    ];
    expect(audit(brandImpersonationRule, snapshot, { messages: own })).to.deep.equal([]);
  });
});

describe('BRAND_IMPERSONATION reads names as words', () => {
  it('does not read a brand inside a number or an ordinary word, nor a business named only in a promotion', () => {
    const messages = [
      message(TRADER_NUMBER, at, '【腾跃鑫】您的快件运单号7310086554地址不详无法派送，请点击 http://ty-kd.cn 更新地址'),
      message(TRADER_NUMBER, at, '【腾跃鑫】本周成交行情火爆，优惠即将到期，点击 http://ty-fc.cn 预约看房'),
      message(
        TRADER_NUMBER,
        at,
        '【腾跃鑫】当天办理送油卡或话费，有需要请致电13912345678，优惠就这几天，过期就没有了。',
      ),
    ];
    const findings = audit(brandImpersonationRule, snapshot, { messages });
    expect(
      findings.map((f) => [f.evidence.facts?.matchedSender ?? null, f.evidence.facts?.cue_sector ?? null]),
    ).to.deep.equal([[null, '快件']]);
  });

  it('keeps a protected sender listed without a USCC a government body unless its name reads as a business', () => {
    const findings = audit([govImpersonation, brandImpersonationRule], snapshot, {
      messages: [message(TRADER_NUMBER, at, '【国家移民管理局】您的护照已被冻结，请点击 http://ym-gl.cn 解冻')],
    });
    expect(findings.map((f) => [f.rule, f.severity])).to.deep.equal([['GOV_IMPERSONATION', 'critical']]);
  });
});

describe('UNFILED_SIGNATURE escalated by the claim it makes', () => {
  it('is high and names the claim when the unfiled signature reads as a government body or a protected brand, medium otherwise', () => {
    const messages = [
      message(TRADER_NUMBER, at, '【济南交警】您有违章'),
      message(TRADER_NUMBER, at, '【工行】您的积分可兑换'),
      message(TRADER_NUMBER, at, '【鑫鑫商城】新品上市'),
      message(TRADER_NUMBER, at, '【腾跃鑫】新品上市'),
    ];
    const findings = audit(unfiledSignature, snapshot, { messages });
    expect(findings.map((f) => [f.severity, f.evidence.facts?.claimLinked ?? null])).to.deep.equal([
      ['high', '济南市公安局交通警察支队'],
      ['high', '中国工商银行'],
      ['medium', null],
    ]);
    // The linked finding by the rule's name, not its code.
    expect(render('zh-CN', findings[0].text)).to.include('（见同一短信的“冒用政府机关”线索）');
    expect(render('en', findings[1].text)).to.include(`(see the message's "Brand impersonation" finding)`);
  });

  it('stays medium when the owner sends its own name unfiled', () => {
    const findings = audit(unfiledSignature, snapshot, {
      messages: [
        message(BANK_NUMBER, at, '【工行】您的账单已出'),
        message(BUREAU_NUMBER, at, '【济南医保】参保缴费提醒'),
      ],
    });
    expect(findings.map((f) => [f.severity, f.evidence.facts?.claimLinked ?? null])).to.deep.equal([
      ['medium', null],
      ['medium', null],
    ]);
  });
});

describe('a body named after a comma', () => {
  it('signs when it is a protected name, not when the sentence only names a place', () => {
    const messages = [
      message(TRADER_NUMBER, at, '【腾跃鑫】请带好身份证准时到达考场，济南市车管所。'),
      message(TRADER_NUMBER, at, '您有违章未处理，请及时办理，济南交警'),
    ];
    expect(audit(govImpersonation, snapshot, { messages }).map((f) => f.evidence.facts?.claimed)).to.deep.equal([
      '济南交警',
    ]);
  });
});
