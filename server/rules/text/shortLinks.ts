/**
 * Well-known URL-shortening domains (短网址服务). The source article's point: a short link hides
 * the real address, so the recipient cannot judge the site and free services are used to wrap
 * phishing links. Staff list the short-link domains they allow (url_lists.csv, `allow`); this
 * list says which domains are short links in the first place. Kept modest: services confirmed in
 * use, not every shortener ever registered. A domain matches its subdomains too (m.tb.cn → tb.cn).
 */
export const KNOWN_SHORT_LINK_DOMAINS: readonly string[] = Object.freeze([
  // Chinese platforms
  't.cn', // Sina Weibo
  'url.cn', // Tencent (QQ / WeChat)
  'dwz.cn', // Baidu 短网址
  'suo.im', // 缩我
  '6url.cn', // 小码短链接
  'sourl.cn', // 小码短链接
  'mrw.so',
  '3.cn', // JD.com
  'tb.cn', // Taobao / Tmall (m.tb.cn)
  'xhslink.com', // Xiaohongshu share links
  'b23.tv', // Bilibili share links
  'v.douyin.com', // Douyin share links
  // International services
  'bit.ly',
  'j.mp', // Bitly's alternative domain
  'tinyurl.com',
  'goo.gl',
  'is.gd',
  'ow.ly',
  't.co',
  'cutt.ly',
  'rebrand.ly',
  'shorturl.at',
]);
