import { expect } from 'chai';
import { csvRecord, spreadsheetSafe } from '../../server/dataset/csvWriter.ts';

describe('CSV writer', () => {
  it('quotes a cell with a comma, quote or line break and doubles its quotes; null is empty', () => {
    expect(csvRecord(['a,b', 'say "hi"', 'x\ny', null, 'plain'], { safeForExcel: false })).to.equal(
      '"a,b","say ""hi""","x\ny",,plain\n',
    );
    expect(csvRecord(['a', 'b'], { safeForExcel: false, lineEnd: '\r\n' })).to.equal('a,b\r\n');
  });

  it('leaves formula-like cells alone unless asked: the dataset export round-trips', () => {
    expect(csvRecord(['=1+1', '@SUM(A1)'], { safeForExcel: false })).to.equal('=1+1,@SUM(A1)\n');
  });

  it('prefixes a cell starting with = + - @ tab or CR with a quote when safe for spreadsheets', () => {
    for (const cell of [
      '=HYPERLINK("http://x.example","点我")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(A1:A9)',
      '\t=1',
      '\r=1',
    ]) {
      expect(spreadsheetSafe(cell), JSON.stringify(cell)).to.equal(`'${cell}`);
    }
    expect(csvRecord(['=HYPERLINK("http://x.example","点我")'], { safeForExcel: true })).to.equal(
      '"\'=HYPERLINK(""http://x.example"",""点我"")"\n',
    );
  });

  it('keeps a signed number (a negative amount, an E.164 recipient) and any other cell as it is', () => {
    for (const cell of ['+8613800138000', '-12.50', '-7', '10690123450188', '某网店 =1', '', "'quoted"]) {
      expect(spreadsheetSafe(cell), JSON.stringify(cell)).to.equal(cell);
    }
  });
});
