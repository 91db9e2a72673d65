import { expect } from 'chai';
import { render } from '../../server/i18n/phrase.ts';
import { govImpersonation, lookalikeSignatureRule } from '../../server/rules/impersonationRules.ts';
import { agentParty, audit, CMCC, entityParty, grant, message, snapshotOf } from '../support/snapshot.ts';

const AGENT = agentParty('91370100MA07GGGG7', '济南鸿信信息技术有限公司');
const TRADER = entityParty('91440300MA08HHHH8', '深圳市腾跃鑫商贸有限公司');
const POLICE = entityParty('11370100MB1234567', '济南市公安局交通警察支队');
const root = grant('1069228351', CMCC, AGENT);
const traderGrant = grant('106922835106', AGENT, TRADER, { parent: root });
const policeGrant = grant('106922835107', AGENT, POLICE, { parent: root });
const snapshot = snapshotOf([root, traderGrant, policeGrant], {
  protectedSenders: [{ name: '济南市公安局交通警察支队', uscc: POLICE.key, aliases: ['济南交警'] }],
});
const at = '2022-03-14T09:30:00+08:00';

describe('GOV_IMPERSONATION and LOOKALIKE_SIGNATURE as audit rules', () => {
  it("the traffic-police case: a trading firm's number signing as 济南交警 is critical, answerable to the agent that granted it", () => {
    const findings = audit(govImpersonation, snapshot, {
      messages: [message('10692283510601', at, '【济南交警】您的驾考预约已确认，请点击链接缴费', 'M1')],
    });
    expect(findings.map((f) => [f.rule, f.severity, f.agent, f.entity, f.message?.ref])).to.deep.equal([
      ['GOV_IMPERSONATION', 'critical', AGENT.key, TRADER.key, 'M1'],
    ]);
    expect(findings[0].evidence.span).to.deep.equal({ start: 1, end: 5 });
    expect(render('zh-CN', findings[0].text)).to.include('深圳市腾跃鑫商贸有限公司');
  });

  it('the real traffic police sending as itself is not flagged, and says why', () => {
    expect(
      audit([govImpersonation, lookalikeSignatureRule], snapshot, {
        messages: [message('10692283510701', at, '【济南交警】您有一条违章记录')],
      }),
    ).to.deep.equal([]);
  });

  it('a disguised signature (traditional characters, spaces) from the trading firm is a lookalike', () => {
    const findings = audit(lookalikeSignatureRule, snapshot, {
      messages: [message('10692283510601', at, '【濟 南 交 警】违章处理')],
    });
    expect(findings.map((f) => [f.rule, f.severity])).to.deep.equal([['LOOKALIKE_SIGNATURE', 'high']]);
  });

  it('a message that only warns about impersonators is not impersonation', () => {
    expect(
      audit(govImpersonation, snapshot, {
        messages: [message('10692283510601', at, '【腾跃鑫】谨防冒充公检法诈骗，交警不会要求转账')],
      }),
    ).to.deep.equal([]);
  });
});
