import { expect } from 'chai';
import { render } from '../../server/i18n/phrase.ts';
import { agentMultipleSegments } from '../../server/rules/agentMultipleSegments.ts';
import { complaintCluster } from '../../server/rules/complaintCluster.ts';
import { hiddenRelease } from '../../server/rules/hiddenRelease.ts';
import { invalidUscc } from '../../server/rules/invalidUscc.ts';
import { multiLevelRelease } from '../../server/rules/multiLevelRelease.ts';
import { numberMultiEntity } from '../../server/rules/numberMultiEntity.ts';
import { overlappingAllocation } from '../../server/rules/overlappingAllocation.ts';
import { segmentUnfiled } from '../../server/rules/segmentUnfiled.ts';
import { suspiciousUrl } from '../../server/rules/suspiciousUrl.ts';
import { unallocatedSender } from '../../server/rules/unallocatedSender.ts';
import { unfiledSignature } from '../../server/rules/unfiledSignature.ts';
import { unlicensedLessee } from '../../server/rules/unlicensedLessee.ts';
import {
  agentParty,
  audit,
  CMCC,
  complaint,
  CUCC,
  entityParty,
  grant,
  message,
  snapshotOf,
} from '../support/snapshot.ts';

const A1 = agentParty('91110108MA01AAAA1', '北京一级通信有限公司');
const A2 = agentParty('91310115MA02BBBB2', '上海二级网络科技有限公司');
const A3 = agentParty('91440300MA03CCCC3', '深圳三级信息技术有限公司');
const SHOP = entityParty('91330100MA04DDDD4', '杭州某网店有限公司');
const LOGI = entityParty('91330100MA05EEEE5', '杭州某物流有限公司');
const BANK = entityParty('91440300MA06FFFF6', '某银行股份有限公司');

/** CMCC → A1 (1069012345) → A2 (106901234501) → A3 (1069012345012) → SHOP (10690123450123) */
function deepTree(options: { declared?: boolean } = {}) {
  const root = grant('1069012345', CMCC, A1);
  const second = grant('106901234501', A1, A2, { parent: root, declared: options.declared });
  const third = grant('1069012345012', A2, A3, { parent: second });
  const leaf = grant('10690123450123', A3, SHOP, { parent: third });
  return { root, second, third, leaf, all: [root, second, third, leaf] };
}

describe('rules over the allocation tree', () => {
  describe('MULTI_LEVEL_RELEASE', () => {
    it('fires on every agent→agent re-lease: level 2 high, level 3 critical, naming the granting agent', () => {
      const findings = audit(multiLevelRelease, snapshotOf(deepTree().all));
      expect(findings.map((f) => [f.prefix, f.severity, f.agent])).to.deep.equal([
        ['106901234501', 'high', A1.key],
        ['1069012345012', 'critical', A2.key],
      ]);
      expect(findings[1].evidence.chain?.map((l) => l.lessee)).to.deep.equal([A1.key, A2.key, A3.key]);
    });

    it('an undeclared level-2 re-lease is critical', () => {
      const findings = audit(multiLevelRelease, snapshotOf(deepTree({ declared: false }).all));
      expect(findings[0].severity).to.equal('critical');
      expect(render('zh-CN', findings[0].text)).to.include('未向运营商报备');
    });

    it('does not fire on a first-level agent serving entities directly', () => {
      const root = grant('1069012345', CMCC, A1);
      expect(
        audit(multiLevelRelease, snapshotOf([root, grant('106901234599', A1, SHOP, { parent: root })])),
      ).to.deep.equal([]);
    });
  });

  describe('SEGMENT_UNFILED', () => {
    it('fires on a root segment without a filing number, not on a filed one or on a child', () => {
      const unfiled = grant('10692283', CMCC, A1, { filing: null });
      const filed = grant('10655', CUCC, A2);
      const child = grant('106922831', A1, SHOP, { parent: unfiled });
      const findings = audit(segmentUnfiled, snapshotOf([unfiled, filed, child]));
      expect(findings.map((f) => [f.prefix, f.agent, f.rootCarrierId])).to.deep.equal([['10692283', A1.key, CMCC.id]]);
    });
  });

  describe('AGENT_MULTIPLE_SEGMENTS', () => {
    it('fires when a first-level agent holds two segments at once, across carriers as high', () => {
      const findings = audit(
        agentMultipleSegments,
        snapshotOf([grant('10692283', CMCC, A1), grant('10655', CUCC, A1, { from: '2022-01-01' })]),
      );
      expect(findings.map((f) => [f.agent, f.severity])).to.deep.equal([[A1.key, 'high']]);
    });

    it('does not fire when the segments follow each other in time', () => {
      const findings = audit(
        agentMultipleSegments,
        snapshotOf([
          grant('10692283', CMCC, A1, { to: '2021-12-31' }),
          grant('10692284', CMCC, A1, { from: '2022-01-01' }),
        ]),
      );
      expect(findings).to.deep.equal([]);
    });
  });

  describe('OVERLAPPING_ALLOCATION', () => {
    it('fires on two grants of one parent whose prefixes nest and periods overlap', () => {
      const root = grant('1069012345', CMCC, A1);
      const wide = grant('106901234501', A1, SHOP, { parent: root, from: '2022-01-01' });
      const narrow = grant('1069012345012', A1, LOGI, { parent: root, from: '2022-06-01' });
      const findings = audit(overlappingAllocation, snapshotOf([root, wide, narrow]));
      expect(findings.map((f) => [f.prefix, f.agent])).to.deep.equal([['1069012345012', A1.key]]);
    });

    it('does not fire on a number passed from one entity to the next, or on disjoint siblings', () => {
      const root = grant('1069012345', CMCC, A1);
      const findings = audit(
        overlappingAllocation,
        snapshotOf([
          root,
          grant('10690123450188', A1, SHOP, { parent: root, from: '2022-01-01', to: '2023-06-30' }),
          grant('10690123450188', A1, LOGI, { parent: root, from: '2023-07-01' }),
          grant('10690123450199', A1, BANK, { parent: root, from: '2022-01-01' }),
        ]),
      );
      expect(findings).to.deep.equal([]);
    });
  });

  describe('NUMBER_MULTI_ENTITY', () => {
    it('fires when two chains register one number to two entities at the same time', () => {
      const r1 = grant('1065906612', CMCC, A1);
      const r2 = grant('10659066123', CUCC, A2);
      const findings = audit(
        numberMultiEntity,
        snapshotOf([
          r1,
          r2,
          grant('1065906612', A1, SHOP, { parent: r1 }),
          grant('10659066123456', A2, LOGI, { parent: r2, from: '2022-04-01' }),
        ]),
      );
      expect(findings.map((f) => [f.prefix, f.entity])).to.deep.equal([['10659066123456', LOGI.key]]);
    });

    it('fires when one number sends under the filed signatures of two entities, not across a reassignment', () => {
      const root = grant('1069012345', CMCC, A1);
      const tree = [
        root,
        grant('10690123450188', A1, SHOP, { parent: root, from: '2022-01-01', to: '2023-06-30' }),
        grant('10690123450188', A1, LOGI, { parent: root, from: '2023-07-01' }),
        grant('10690123450199', A1, BANK, { parent: root }),
      ];
      const snapshot = snapshotOf(tree, {
        entities: [
          { uscc: SHOP.key, signatures: ['某网店'] },
          { uscc: LOGI.key, signatures: ['某物流'] },
          { uscc: BANK.key, signatures: ['某银行'] },
        ],
      });
      const reassigned = audit(numberMultiEntity, snapshot, {
        messages: [
          message('10690123450188', '2022-03-14T09:30:00+08:00', '【某网店】发货了'),
          message('10690123450188', '2024-01-01T09:30:00+08:00', '【某物流】取件'),
        ],
      });
      expect(reassigned).to.deep.equal([]);
      const mixed = audit(numberMultiEntity, snapshot, {
        messages: [
          message('10690123450199', '2022-03-14T09:30:00+08:00', '【某银行】账单'),
          message('10690123450199', '2022-03-15T09:30:00+08:00', '【某物流】取件'),
        ],
      });
      expect(mixed.map((f) => [f.number, f.evidence.facts?.owners])).to.deep.equal([['10690123450199', 2]]);
      // After the reassignment the number shows two owners under its new allocation: one finding
      // there, pointing at the first message of the new allocation, not at the earlier holder's.
      const later = [
        message('10690123450188', '2022-03-14T09:30:00+08:00', '【某网店】发货了', 'm1'),
        message('10690123450188', '2024-01-01T09:30:00+08:00', '【某物流】取件', 'm2'),
        message('10690123450188', '2024-01-02T09:30:00+08:00', '【某物流】取件', 'm3'),
        message('10690123450188', '2024-01-03T09:30:00+08:00', '【某银行】账单', 'm4'),
        message('10690123450199', '2024-01-03T09:30:00+08:00', '【某银行】账单', 'm5'),
      ];
      const moved = audit(numberMultiEntity, snapshot, { messages: later });
      expect(
        moved.map((f) => [f.number, f.entity, f.message?.ref, f.evidence.facts?.owners, f.evidence.text]),
      ).to.deep.equal([['10690123450188', LOGI.key, 'm2', 2, '【某银行】账单']]);
    });
  });

  describe('UNLICENSED_LESSEE', () => {
    it('fires once per agent without a licence, high at level 1, naming its ranges', () => {
      const { all } = deepTree();
      const findings = audit(
        unlicensedLessee,
        snapshotOf(all, {
          agents: [
            { uscc: A1.key, licenceNo: null },
            { uscc: A3.key, licenceNo: null },
          ],
        }),
      );
      expect(findings.map((f) => [f.agent, f.severity])).to.deep.equal([
        [A1.key, 'high'],
        [A3.key, 'medium'],
      ]);
    });
  });

  describe('INVALID_USCC', () => {
    it('fires on a party whose check character is wrong, not on a valid one', () => {
      const badKey = `${SHOP.key.slice(0, 17)}${SHOP.key[17] === '0' ? '1' : '0'}`;
      const root = grant('1069012345', CMCC, A1);
      const findings = audit(
        invalidUscc,
        snapshotOf([root, grant('106901234501', A1, { ...SHOP, key: badKey }, { parent: root })]),
      );
      expect(findings.map((f) => [f.entity, f.agent])).to.deep.equal([[badKey, A1.key]]);
      expect(render('zh-CN', findings[0].text)).to.include(`应为 ${SHOP.key[17]}`);
    });
  });
});

describe('rules over the traffic', () => {
  const root = grant('1069012345', CMCC, A1);
  const agentHeld = grant('106901234501', A1, A2, { parent: root });
  const shopGrant = grant('106901234502', A1, SHOP, { parent: root });
  const tree = [root, agentHeld, shopGrant];

  describe('UNALLOCATED_SENDER', () => {
    it('fires on a message from a number nobody held then, and (lower) on one held only by an agent', () => {
      const findings = audit(unallocatedSender, snapshotOf(tree), {
        messages: [
          message('1069099990000', '2022-01-01T10:00:00+08:00', '验证码 1234', 'M1'),
          message('10690123450111', '2022-01-01T10:00:00+08:00', '验证码 1234', 'M2'),
          message('10690123450211', '2022-01-01T10:00:00+08:00', '【某网店】验证码 1234', 'M3'),
        ],
      });
      expect(findings.map((f) => [f.message?.ref, f.severity, f.agent])).to.deep.equal([
        ['M1', 'medium', null],
        ['M2', 'low', A2.key],
      ]);
    });

    it('a complaint about an unallocated number is high', () => {
      const findings = audit(unallocatedSender, snapshotOf(tree), {
        complaints: [complaint('1069099990000', '2022-01-01T10:00:00+08:00')],
      });
      expect(findings.map((f) => f.severity)).to.deep.equal(['high']);
    });

    it("does not fire before the allocation began… it does: the day before valid_from the number was nobody's", () => {
      const findings = audit(unallocatedSender, snapshotOf(tree), {
        messages: [message('10690123450211', '2020-12-31T23:59:00+08:00', 'x')],
      });
      expect(findings).to.have.length(1);
    });
  });

  describe('UNFILED_SIGNATURE', () => {
    it('fires on a signature the registered entity never filed, once per number and signature; width and spaces do not matter', () => {
      const snapshot = snapshotOf(tree, { entities: [{ uscc: SHOP.key, signatures: ['某网店', 'Shop'] }] });
      const findings = audit(unfiledSignature, snapshot, {
        messages: [
          message('10690123450211', '2022-01-01T10:00:00+08:00', '【某网店】发货'),
          message('10690123450211', '2022-01-01T10:00:00+08:00', '【 某网店 】发货【ＳＨＯＰ】'),
          message('10690123450211', '2022-01-02T10:00:00+08:00', '【某贷款】秒批'),
          message('10690123450211', '2022-01-03T10:00:00+08:00', '【某贷款】秒批'),
        ],
      });
      expect(findings.map((f) => f.key[1])).to.deep.equal(['某贷款']);
      expect(findings[0].evidence.span).to.deep.equal({ start: 0, end: 5 });
    });
  });

  describe('SUSPICIOUS_URL', () => {
    it('fires on a block-listed domain (high) and a short link not allowed (medium), not on an allowed one', () => {
      const findings = audit(suspiciousUrl, snapshotOf(tree, { block: ['evil.example.com'], allow: ['dwz.cn'] }), {
        messages: [
          message(
            '10690123450211',
            '2022-01-01T10:00:00+08:00',
            '【某网店】点击 https://pay.evil.example.com/x 领取，客服 0755-12345678',
            'M1',
          ),
          message('10690123450211', '2022-01-01T10:00:00+08:00', '【某网店】详情 t.cn/A6xyz', 'M2'),
          message('10690123450211', '2022-01-01T10:00:00+08:00', '【某网店】详情 dwz.cn/abc', 'M3'),
        ],
      });
      expect(findings.map((f) => [f.message?.ref, f.severity, f.evidence.facts?.domain])).to.deep.equal([
        ['M1', 'high', 'evil.example.com'],
        ['M2', 'medium', 't.cn'],
      ]);
      expect(findings[0].evidence.facts?.callbackNumbers).to.equal('+8675512345678');
    });
  });

  describe('HIDDEN_RELEASE', () => {
    it('fires when three or more outside parties send under one allocation, saying the threshold; not at two', () => {
      const snapshot = snapshotOf(tree, { entities: [{ uscc: SHOP.key, signatures: ['某网店'] }] });
      const at = '2022-01-01T10:00:00+08:00';
      const two = audit(hiddenRelease, snapshot, {
        messages: ['某网店', '甲', '乙'].map((s) => message('10690123450211', at, `【${s}】x`)),
      });
      expect(two).to.deep.equal([]);
      const three = audit(hiddenRelease, snapshot, {
        messages: ['某网店', '甲', '乙', '丙', '甲'].map((s) => message('10690123450211', at, `【${s}】x`)),
      });
      expect(
        three.map((f) => [f.prefix, f.evidence.facts?.outsideSignatures, f.evidence.facts?.threshold]),
      ).to.deep.equal([['106901234502', 3, 3]]);
    });
  });

  describe('COMPLAINT_CLUSTER', () => {
    it('fires when three complaints trace to one agent within 30 days, merging overlapping windows', () => {
      const findings = audit(complaintCluster, snapshotOf(tree), {
        complaints: [
          complaint('10690123450211', '2022-03-01T10:00:00+08:00', 1000),
          complaint('10690123450222', '2022-03-10T10:00:00+08:00', 2000),
          complaint('10690123450233', '2022-03-25T10:00:00+08:00', 3000),
          complaint('10690123450244', '2022-04-05T10:00:00+08:00', 500),
          complaint('10690123450255', '2022-09-01T10:00:00+08:00', 100),
        ],
      });
      expect(findings.map((f) => [f.agent, f.evidence.facts?.complaints, f.evidence.facts?.lossYuan])).to.deep.equal([
        [A1.key, 4, '6500.00'],
      ]);
    });

    it('does not fire on complaints spread wider than the window', () => {
      const findings = audit(complaintCluster, snapshotOf(tree), {
        complaints: ['2022-01-01', '2022-02-15', '2022-04-01'].map((d) =>
          complaint('10690123450211', `${d}T10:00:00+08:00`),
        ),
      });
      expect(findings).to.deep.equal([]);
    });
  });
});
