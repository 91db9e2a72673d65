import { expect } from 'chai';
import { DatasetOpenError } from '../server/dataset/readers.ts';
import { answerFor, HttpError, UserError } from '../server/errors.ts';
import { t } from '../server/i18n/index.ts';
import { AccountError } from '../server/services/accounts/accounts.ts';
import { AuditRateError, AUDIT_START_WINDOW_MINUTES, MAX_AUDIT_STARTS } from '../server/services/audit/auditJobs.ts';
import { FindingStateError } from '../server/services/audit/findings.ts';
import { LookupInputError } from '../server/services/lookup/lookup.ts';
import { RenderBusy } from '../server/services/notices/rendering.ts';

describe('answerFor: an error as the user is told it', () => {
  it('gives a user-facing error its own status, message in the locale, and headers', () => {
    const answer = answerFor(new AuditRateError(42), 'en');
    expect(answer).to.deep.equal({
      status: 429,
      message: t('en', 'audits.too_many', { count: MAX_AUDIT_STARTS, minutes: AUDIT_START_WINDOW_MINUTES }),
      headers: { 'Retry-After': '42' },
      internal: false,
    });
    expect(answerFor(new RenderBusy(), 'zh-CN')).to.include({
      status: 503,
      message: t('zh-CN', 'error.render_busy', { seconds: 5 }),
    });
  });

  it('answers a 4xx error raised by express with its status and the generic bad-request message', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413 });
    expect(answerFor(tooLarge, 'en')).to.deep.equal({
      status: 413,
      message: t('en', 'error.bad_request'),
      headers: {},
      internal: false,
    });
  });

  it('answers anything else as an internal fault with the generic message, status 500 included', () => {
    for (const fault of [
      new TypeError('x is undefined'),
      Object.assign(new Error('db'), { status: 500 }),
      'a string',
      null,
    ]) {
      expect(answerFor(fault, 'en')).to.deep.equal({
        status: 500,
        message: t('en', 'error.internal'),
        headers: {},
        internal: true,
      });
    }
  });

  it('keeps the message logs and the CLI read, apart from the text the user sees', () => {
    const error = new HttpError(404, 'error.not_found');
    expect(error).to.be.instanceOf(UserError).and.to.be.instanceOf(Error);
    expect([error.message, error.name]).to.deep.equal(['error.not_found', 'HttpError']);
    expect(new AuditRateError(1).message).to.equal('too many audits started');
  });
});

describe('the user-facing errors of the services', () => {
  it('give a refused sign-in its own status: 401 wrong password, 403 switched off, 429 locked; 400 otherwise', () => {
    const statuses = [
      'account.bad_credentials',
      'account.disabled',
      'account.locked',
      'account.ip_throttled',
      'account.name_taken',
    ].map((code) => new AccountError(code).status);
    expect(statuses).to.deep.equal([401, 403, 429, 429, 400]);
  });

  it('word messages whose parameters are themselves catalogue entries in the same locale', () => {
    expect(new LookupInputError('number', 'number.too_short', '1069').text('en')).to.equal(
      t('en', 'lookup.number.invalid', { reason: t('en', 'issue.number.too_short') }),
    );
    const changed = new FindingStateError('findings.changed_meanwhile', 'dismissed').text('en');
    expect(changed).to.equal(t('en', 'findings.changed_meanwhile', { status: t('en', 'findings.status.dismissed') }));
    expect(changed).to.include(t('en', 'findings.status.dismissed')).and.not.include('{status}');
  });

  it('name the dataset in a dataset that cannot be opened, and keep its own parameters apart', () => {
    const error = new DatasetOpenError('dataset.not_found', '/tmp/nowhere');
    expect([error.status, error.text('en'), error.params]).to.deep.equal([
      400,
      t('en', 'issue.dataset.not_found', { subject: '/tmp/nowhere' }),
      {},
    ]);
  });
});
