import { expect } from 'chai';
import { filedSignatures, signatureKey, signaturesOf } from '../../server/rules/signatures.ts';
import { snapshotOf } from '../support/snapshot.ts';

/** What the hand-written scanner must agree with. */
function byRegex(content: string) {
  return [...content.matchAll(/【([^【】\n]{1,40})】/g)]
    .map((match) => ({ text: match[1], start: match.index, end: match.index + match[0].length }))
    .filter((span) => signatureKey(span.text) !== '');
}

describe('signaturesOf', () => {
  const filed = filedSignatures(
    snapshotOf([], { entities: [{ uscc: '91110000MA01ABCD1X', signatures: ['顺丰速运', 'ＡＢＣ银行'] }] }),
  );

  it('finds what the signature pattern finds, wherever the brackets stand', () => {
    const forty = '字'.repeat(40);
    const cases = [
      '',
      '没有签名',
      '【顺丰速运】您的快递已到',
      '您的快递已到【顺丰速运】',
      '【】空的',
      '【 】只有空格',
      '【a】【b】连着',
      '【未闭合',
      '未开始】',
      '【外【内】】',
      '【换\n行】后【正常】',
      `【${forty}】`,
      `【${forty}字】【短】`,
      '【【双开】',
      '】【反向】【',
      '【顺丰速运】中间【ＡＢＣ银行】结尾【某某】',
      '【\u200b】',
      '😀【表情😀】',
    ];
    for (const content of cases) {
      expect(
        signaturesOf(content, filed).map(({ text, start, end }) => ({ text, start, end })),
        JSON.stringify(content),
      ).to.deep.equal(byRegex(content));
    }
  });

  it('gives each signature its filing, compared as signatureKey folds it', () => {
    const spans = signaturesOf('【ＡＢＣ银行】您好【abc银行】【顺丰 速运】【不存在】', filed);
    expect(spans.map((s) => [s.text, s.normalised, s.filed?.owners ?? null])).to.deep.equal([
      ['ＡＢＣ银行', 'abc银行', ['91110000MA01ABCD1X']],
      ['abc银行', 'abc银行', ['91110000MA01ABCD1X']],
      ['顺丰 速运', '顺丰速运', ['91110000MA01ABCD1X']],
      ['不存在', '不存在', null],
    ]);
  });

  it("finds the filing a look-up of the signature's key finds, among many filed signatures", () => {
    // Plain keys (Han, digits, lower case: their own key), keys that differ in one unit or are
    // another's prefix, and keys with other units (a hyphen, a space folded away).
    const names = Array.from({ length: 300 }, (_, i) => `商户${i}号店`);
    const signatures = [...names, '商户1', '商户1号', 'abc-银行', 'x y', '顺丰速运'];
    const many = filedSignatures(
      snapshotOf([], {
        entities: signatures.map((signature, i) => ({
          uscc: `91110000MA${String(i).padStart(7, '0')}X`,
          signatures: [signature],
        })),
      }),
    );
    const written = [
      ...signatures,
      '商户',
      '商户1号店0',
      '商户3000号店',
      'abc-银行',
      'ABC-银行',
      'xy',
      'x y',
      '顺丰速',
      '顺丰速运运',
      '商户٣号店',
    ];
    for (const text of written) {
      const [span] = signaturesOf(`【${text}】您好`, many);
      const key = signatureKey(text);
      expect(span.normalised, text).to.equal(key);
      expect(span.text, text).to.equal(text);
      expect(span.filed, text).to.equal(many.byKey.get(key) ?? null);
    }
  });
});
