import { expect } from 'chai';
import {
  findCallbackNumbers,
  findUrls,
  KNOWN_SHORT_LINK_DOMAINS,
  listedDomain,
  suspiciousUrls,
  type UrlLists,
} from '../../server/rules/text/urls.ts';

describe('findUrls', () => {
  describe('finds each URL form with its host and span', () => {
    // [form, message, text of the URL as written, where it starts, host, normalised URL]
    const forms: Array<[string, string, string, number, string, string]> = [
      ['an https URL', '点击 https://t.cn/A6x 查看', 'https://t.cn/A6x', 3, 't.cn', 'https://t.cn/A6x'],
      [
        'an http URL with a path of several segments',
        '请登录 http://jgjs-12123.cc/kf/login 处理',
        'http://jgjs-12123.cc/kf/login',
        4,
        'jgjs-12123.cc',
        'http://jgjs-12123.cc/kf/login',
      ],
      ['a short link without a scheme', '请点击 t.cn/A6x7 更新。', 't.cn/A6x7', 4, 't.cn', 'http://t.cn/A6x7'],
      ['a bare host right after Chinese text', '详见95598.cn', '95598.cn', 2, '95598.cn', 'http://95598.cn'],
      [
        'a www host without a path',
        '访问 www.example.com 了解详情',
        'www.example.com',
        3,
        'www.example.com',
        'http://www.example.com',
      ],
      [
        'a host with a hyphen and a new gTLD',
        '请尽快登录 bj-shebao.vip 解冻',
        'bj-shebao.vip',
        6,
        'bj-shebao.vip',
        'http://bj-shebao.vip',
      ],
      [
        'a query string and fragment',
        '见 https://a.example.com/p?id=1&x=2#top 。',
        'https://a.example.com/p?id=1&x=2#top',
        2,
        'a.example.com',
        'https://a.example.com/p?id=1&x=2#top',
      ],
      [
        'a port',
        '登录 http://example.com:8080/a',
        'http://example.com:8080/a',
        3,
        'example.com',
        'http://example.com:8080/a',
      ],
      [
        'an IPv4 host after a scheme',
        '打开 http://47.100.12.3/app 下载',
        'http://47.100.12.3/app',
        3,
        '47.100.12.3',
        'http://47.100.12.3/app',
      ],
      [
        'an upper-case scheme and host (lower-cased)',
        'HTTPS://WWW.ABC.COM/X',
        'HTTPS://WWW.ABC.COM/X',
        0,
        'www.abc.com',
        'https://www.abc.com/X',
      ],
      ['full-width letters and dot', '点击ｔ．ｃｎ／ＡＢ１查看', 'ｔ．ｃｎ／ＡＢ１', 2, 't.cn', 'http://t.cn/AB1'],
      [
        'a full-width scheme',
        '登录ｈｔｔｐｓ：／／ｄｗｚ．ｃｎ/abc',
        'ｈｔｔｐｓ：／／ｄｗｚ．ｃｎ/abc',
        2,
        'dwz.cn',
        'https://dwz.cn/abc',
      ],
      ['an ideographic full stop for the dot', '点击 t。cn/xx 领取', 't。cn/xx', 3, 't.cn', 'http://t.cn/xx'],
      ['a halfwidth ideographic full stop for the dot', '点击 dwz｡cn/xx', 'dwz｡cn/xx', 3, 'dwz.cn', 'http://dwz.cn/xx'],
      ['spaces around the dot', '点击 t . cn/A6x 领取', 't . cn/A6x', 3, 't.cn', 'http://t.cn/A6x'],
      ['a space before the dot only', '点击 t .cn/A6x', 't .cn/A6x', 3, 't.cn', 'http://t.cn/A6x'],
      ['a zero-width space before the dot', '点击 t\u200B.cn/A6x', 't\u200B.cn/A6x', 3, 't.cn', 'http://t.cn/A6x'],
      [
        'a zero-width joiner inside a label',
        '登录 tax-re\u200Dfund.top 办理',
        'tax-re\u200Dfund.top',
        3,
        'tax-refund.top',
        'http://tax-refund.top',
      ],
      ['a zero-width space inside the path', 'dwz.cn/ab\u200Bc', 'dwz.cn/ab\u200Bc', 0, 'dwz.cn', 'http://dwz.cn/abc'],
      [
        'a Chinese domain after a scheme (punycode host)',
        '访问 http://例子.中国/a',
        'http://例子.中国/a',
        3,
        'xn--fsqu00a.xn--fiqs8s',
        'http://xn--fsqu00a.xn--fiqs8s/a',
      ],
    ];
    for (const [form, message, text, start, host, url] of forms) {
      it(`finds ${form}`, () => {
        expect(findUrls(message)).to.deep.equal([{ text, start, end: start + text.length, host, url }]);
      });
    }
  });

  describe('ends a URL where the sentence goes on', () => {
    const endings: Array<[string, string, string]> = [
      ['a trailing 。', '详见 95598.cn。', '95598.cn'],
      ['a 。 after a path', '请点击 t.cn/A6x。谢谢', 't.cn/A6x'],
      ['a trailing ， after a path', '请点击 t.cn/A6x，谢谢', 't.cn/A6x'],
      ['an ASCII full stop after a path', 'Visit t.cn/A6x.', 't.cn/A6x'],
      ['a closing parenthesis it did not open', '（详见 t.cn/A6x）', 't.cn/A6x'],
      [
        'Chinese text straight after the host of a URL with a scheme',
        '请登录https://www.122.gov.cn查询',
        'https://www.122.gov.cn',
      ],
      ['Chinese text straight after a Chinese TLD', '访问https://例子.中国查看详情', 'https://例子.中国'],
      ['a sentence after 。 that starts like a Chinese TLD', '请登录https://t.cn。中国移动提醒您', 'https://t.cn'],
      ['a capitalised word glued on with a dot', 'see example.com.Thanks', 'example.com'],
    ];
    for (const [where, message, text] of endings) {
      it(`stops at ${where}`, () => {
        expect(findUrls(message).map((url) => url.text)).to.deep.equal([text]);
      });
    }
  });

  describe('does not take near-misses for URLs', () => {
    const nearMisses: Array<[string, string]> = [
      ['an amount with decimals', '本期电费160.99元'],
      ['a discount', '全场3.5折'],
      ['a time written with a dot', '9.30开始营业'],
      ['a date written with dots', '2024.05.01起执行'],
      ['a version number', '请升级到v1.2.3版本'],
      ['a data allowance', '赠送1.5GB流量'],
      ['a file name with a non-TLD extension', '请查收附件 report.pdf'],
      ['a Chinese file name', '请查收合同.docx'],
      ['a file name whose extension is also a ccTLD', '详见 README.md'],
      ['a name after a title', '请联系Mr.Wang'],
      ['an e-mail address', '请发送至 kefu@cmbchina.com'],
      ['an e-mail address whose local part looks like a host', '联系 john.io@gmail.com'],
      ['an abbreviation', 'e.g. test'],
      ['a sentence ending with a dot and a space', 'All ok. me too'],
      ['a host without a TLD', '访问 www.abc'],
      ['an IPv4-like number without a scheme', '版本 1.2.3.4'],
      ['a text without dots', '【深圳交警】请登录交管12123 App查询处理。'],
    ];
    for (const [what, message] of nearMisses) {
      it(`ignores ${what}`, () => {
        expect(findUrls(message)).to.deep.equal([]);
      });
    }
  });

  it('finds several URLs in order of appearance', () => {
    const hosts = findUrls('先看 cmbchina.com/1，再点 t.cn/2 和 https://dwz.cn/3').map((url) => url.host);
    expect(hosts).to.deep.equal(['cmbchina.com', 't.cn', 'dwz.cn']);
  });
});

describe('listedDomain', () => {
  const domains = new Set(['example.com', 'a.example.com', 'tb.cn']);

  it('matches a host equal to a listed domain', () => {
    expect(listedDomain('tb.cn', domains)).to.equal('tb.cn');
  });

  it('matches a subdomain of a listed domain', () => {
    expect(listedDomain('m.tb.cn', domains)).to.equal('tb.cn');
  });

  it('matches a deeper subdomain', () => {
    expect(listedDomain('x.y.tb.cn', domains)).to.equal('tb.cn');
  });

  it('names the most specific listed domain', () => {
    expect(listedDomain('b.a.example.com', domains)).to.equal('a.example.com');
  });

  it('does not match a host that merely ends with the same letters', () => {
    expect(listedDomain('evilexample.com', domains)).to.equal(null);
  });

  it('does not match a parent of a listed domain', () => {
    expect(listedDomain('cn', domains)).to.equal(null);
  });

  it('ignores case and a trailing dot', () => {
    expect(listedDomain('WWW.Example.COM.', domains)).to.equal('example.com');
  });
});

describe('suspiciousUrls', () => {
  const lists: UrlLists = {
    allow: new Set(['3.cn', 'tb.cn', 'cmbchina.com', 'bit.ly']),
    block: new Set(['tax-refund.top', 'bit.ly']),
    shortLink: new Set(),
  };

  it('flags a short link that is not on the allow-list', () => {
    const [verdict, ...rest] = suspiciousUrls('【京东】您的包裹地址异常，请点击 t.cn/A6x 更新。', lists);
    expect(rest).to.deep.equal([]);
    expect(verdict).to.include({ reason: 'short-link-not-allowed', domain: 't.cn' });
    expect(verdict!.url.text).to.equal('t.cn/A6x');
  });

  it('does not flag an allow-listed short link', () => {
    expect(suspiciousUrls('【京东】您的订单已发货，点击 3.cn/7602X 查看物流。', lists)).to.deep.equal([]);
  });

  it('does not flag a subdomain of an allow-listed short-link domain', () => {
    expect(suspiciousUrls('【天猫】点击 m.tb.cn/h.5abc 查看', lists)).to.deep.equal([]);
  });

  it('does not flag an ordinary domain that is on neither list', () => {
    expect(suspiciousUrls('【顺丰速运】查件 sf-express.com', lists)).to.deep.equal([]);
  });

  it('flags a block-listed domain', () => {
    const verdicts = suspiciousUrls(
      '【國家稅務總局】您有一笔退税待领取，点击 https://tax-refund.top/123 办理。',
      lists,
    );
    expect(verdicts.map(({ reason, domain }) => ({ reason, domain }))).to.deep.equal([
      { reason: 'block-listed', domain: 'tax-refund.top' },
    ]);
  });

  it('flags a subdomain of a block-listed domain', () => {
    const verdicts = suspiciousUrls('登录 www.tax-refund.top 办理', lists);
    expect(verdicts.map((verdict) => verdict.domain)).to.deep.equal(['tax-refund.top']);
  });

  it('lets the block-list win over the allow-list', () => {
    const verdicts = suspiciousUrls('点击 bit.ly/abc', lists);
    expect(verdicts.map((verdict) => verdict.reason)).to.deep.equal(['block-listed']);
  });

  it('sees through a full-width disguise of a short link', () => {
    const verdicts = suspiciousUrls('点击ｄｗｚ．ｃｎ／ａｂｃ领取', lists);
    expect(verdicts.map(({ reason, domain }) => ({ reason, domain }))).to.deep.equal([
      { reason: 'short-link-not-allowed', domain: 'dwz.cn' },
    ]);
  });

  it("uses the staff's own short-link domains instead of the built-in ones when they listed any", () => {
    const own: UrlLists = { ...lists, shortLink: new Set(['sl.example']) };
    const verdicts = suspiciousUrls('点击 t.cn/a 或 http://sl.example/b', own);
    expect(verdicts.map((verdict) => verdict.domain)).to.deep.equal(['sl.example']);
  });

  it('returns one verdict per offending URL, in order', () => {
    const verdicts = suspiciousUrls('点击 t.cn/a 或 tax-refund.top 或 3.cn/ok', lists);
    expect(verdicts.map((verdict) => [verdict.reason, verdict.url.start])).to.deep.equal([
      ['short-link-not-allowed', 3],
      ['block-listed', 12],
    ]);
  });

  it('names the URL and the listed domain (the finding says them in either language)', () => {
    const [verdict] = suspiciousUrls('点击 https://tax-refund.top/1', lists);
    expect([verdict!.url.url, verdict!.domain]).to.deep.equal(['https://tax-refund.top/1', 'tax-refund.top']);
  });

  it('returns nothing for a message without URLs', () => {
    expect(suspiciousUrls('【上海税务】您单位本月申报期截止日为27日，请按时申报。', lists)).to.deep.equal([]);
  });
});

describe('KNOWN_SHORT_LINK_DOMAINS', () => {
  it('includes the major Chinese shorteners', () => {
    expect(KNOWN_SHORT_LINK_DOMAINS).to.include.members(['t.cn', 'url.cn', 'dwz.cn']);
  });

  it('holds lower-case host names without duplicates, each found by findUrls', () => {
    const hosts = KNOWN_SHORT_LINK_DOMAINS.map((domain) => findUrls(`${domain}/x`)[0]?.host);
    expect(hosts).to.deep.equal([...new Set(KNOWN_SHORT_LINK_DOMAINS)]);
  });
});

describe('findCallbackNumbers', () => {
  describe('normalises each kind of number to E.164', () => {
    // [kind, message, number as written, E.164]
    const kinds: Array<[string, string, string, string]> = [
      ['a mobile number', '请联系客服13800138000办理', '13800138000', '+8613800138000'],
      ['a mobile number with dashes', '客服138-0013-8000', '138-0013-8000', '+8613800138000'],
      ['a mobile number with +86 and spaces', '致电 +86 138 0013 8000', '+86 138 0013 8000', '+8613800138000'],
      ['a mobile number with 0086', '致电008613800138000', '008613800138000', '+8613800138000'],
      [
        'a mobile number in full-width digits',
        '请回电１３８００１３８０００',
        '１３８００１３８０００',
        '+8613800138000',
      ],
      ['a landline with area code and dash', '请回电0755-12345678。', '0755-12345678', '+8675512345678'],
      ['a Beijing landline without separator', '电话01012345678', '01012345678', '+861012345678'],
      [
        'a landline with the area code in full-width parentheses',
        '电话（010）12345678',
        '（010）12345678',
        '+861012345678',
      ],
      ['a landline in +86 form', '电话 +86 755 12345678', '+86 755 12345678', '+8675512345678'],
      ['a 400 number', '客服热线400-820-5555', '400-820-5555', '+864008205555'],
      ['an 800 number', '免费电话800 810 0123', '800 810 0123', '+868008100123'],
    ];
    for (const [kind, message, text, e164] of kinds) {
      it(`finds ${kind}`, () => {
        const start = message.indexOf(text);
        expect(findCallbackNumbers(message)).to.deep.equal([{ text, start, end: start + text.length, e164 }]);
      });
    }
  });

  describe('does not take other numbers for phone numbers', () => {
    const others: Array<[string, string]> = [
      ['a 106 sender number', '发送号码10690028048683'],
      ['a 106 sender number with +86', '发送号码+86 10690028048683'],
      ['a verification code', '您的验证码是123456，5分钟内有效'],
      ['a date', '2021-03-06起执行'],
      ['a compact date', '20210306'],
      ['an amount', '您有13800000000元待领取'],
      ['an amount after a currency sign', '￥13800138000'],
      ['a tracking number', '您的快件483381487152已到达'],
      ['a mobile-shaped run inside a longer number', '订单号1380013800012'],
      ['a number in a range no mobile uses', '12345678901'],
      ['a service short code', '请拨打95598'],
    ];
    for (const [what, message] of others) {
      it(`ignores ${what}`, () => {
        expect(findCallbackNumbers(message)).to.deep.equal([]);
      });
    }
  });

  it('finds several numbers in order', () => {
    const numbers = findCallbackNumbers('手机13800138000或座机0755-12345678').map((number) => number.e164);
    expect(numbers).to.deep.equal(['+8613800138000', '+8675512345678']);
  });
});
