import { expect } from 'chai';
import { messageKeys, t } from '../../server/i18n/index.ts';

describe('locales', () => {
  it('English has a text for every Chinese key and no extra ones', () => {
    expect([...messageKeys('en')].sort()).to.deep.equal([...messageKeys('zh-CN')].sort());
  });

  it('fills named placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'issue.cell.too_long', { max: 18 })).to.equal('too long (at most 18 characters)');
    expect(t('en', 'issue.cell.too_long')).to.equal('too long (at most {max} characters)');
  });

  it('shows the key itself when no locale has it, so a gap is seen rather than hidden', () => {
    expect(t('zh-CN', 'no.such.key')).to.equal('no.such.key');
  });
});
