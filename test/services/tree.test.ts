import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { openDataset } from '../../server/dataset/readers.ts';
import { Carrier } from '../../server/entities/index.ts';
import { agentProfile } from '../../server/services/tree/agentProfile.ts';
import { crossCarrierReport, CrossCarrierForbidden } from '../../server/services/tree/crossCarrier.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { EVERYTHING, type Scope } from '../../server/services/accounts/scope.ts';
import { carrierTree, severityOfRank, TreeNotFound, walkTree, type TreeNode } from '../../server/services/tree/tree.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { addFinding } from '../support/findings.ts';
import { A1, A2, E_GOV, E_LOGI, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';

/** name → children, down to the leaves' names: the shape of a tree at a glance. */
const shape = (node: TreeNode): unknown =>
  node.children.length === 0 ? node.party.name : { [node.party.name]: node.children.map(shape) };
const nodeOf = (root: TreeNode, key: string, prefix?: string) =>
  [...walkTree(root)].find((n) => n.party.key === key && (!prefix || n.allocation?.prefix === prefix))!;

async function carrierId(dataSource: DataSource, code: string): Promise<number> {
  return (await dataSource.getRepository(Carrier).findOneByOrFail({ code })).id;
}

describeEachDatabase('tree service', (ctx) => {
  const load = async (files = smallDataset()) =>
    importDataset(ctx.dataSource, await openDataset(await writeDataset(files)));
  const tree = (date: string, options: { scope?: Scope; carrier?: string | null; q?: string } = {}) =>
    carrierTree(ctx.dataSource, options.scope ?? EVERYTHING, {
      carrier: options.carrier === undefined ? 'CMCC' : options.carrier,
      date,
      q: options.q ?? '',
    });

  it("shows the carrier's tree on each day: the number reassigned on 2023-07-01 hangs under the new entity from then on", async () => {
    await load();
    expect(shape((await tree('2022-03-14')).root!)).to.deep.equal({
      中国移动: [
        { 北京一级通信有限公司: [{ 上海二级网络科技有限公司: ['杭州某网店有限公司'] }, '北京市公安局公安交通管理局'] },
      ],
    });
    expect(shape((await tree('2023-08-01')).root!)).to.deep.equal({
      中国移动: [
        { 北京一级通信有限公司: [{ 上海二级网络科技有限公司: ['杭州某物流有限公司'] }, '北京市公安局公安交通管理局'] },
      ],
    });
    // Before A1 re-leased to A2 and before the number existed.
    expect(shape((await tree('2021-04-01')).root!)).to.deep.equal({
      中国移动: [{ 北京一级通信有限公司: ['北京市公安局公安交通管理局'] }],
    });
  });

  it('counts numbers, and the messages and complaints sent through each allocation at their own time', async () => {
    await load();
    const root = (await tree('2023-08-01')).root!;
    // M1 (2022-03-14) and the complaint (2022-04-01) went through the shop's grant, which has ended:
    // they still count on A1 and A2, whose allocations carried them.
    expect([root.numbers, root.messages, root.complaints]).to.deep.equal([2, 2, 1]);
    expect([nodeOf(root, A2).messages, nodeOf(root, A2).complaints]).to.deep.equal([1, 1]);
    expect([nodeOf(root, E_LOGI).messages, nodeOf(root, E_LOGI).complaints]).to.deep.equal([0, 0]);
    expect([nodeOf(root, E_GOV).messages, nodeOf(root, E_GOV).complaints]).to.deep.equal([1, 0]);
  });

  it("colours nodes by their worst open or notified finding in this carrier, ignoring dismissed ones and other carriers'", async () => {
    await load();
    await addFinding(ctx.dataSource, { carrier: 'CMCC', severity: 'medium', agent: A2 });
    await addFinding(ctx.dataSource, {
      carrier: 'CMCC',
      severity: 'high',
      status: 'notified',
      prefix: '10690123450188',
      entity: E_SHOP,
    });
    await addFinding(ctx.dataSource, { carrier: 'CMCC', severity: 'critical', status: 'dismissed', agent: A1 });
    await addFinding(ctx.dataSource, { carrier: 'CUCC', severity: 'critical', agent: A1 });
    const before = (await tree('2022-03-14')).root!;
    expect(severityOfRank(nodeOf(before, A2).worst)).to.equal('medium');
    expect(severityOfRank(nodeOf(before, E_SHOP).worst)).to.equal('high');
    expect(severityOfRank(nodeOf(before, A1).worst), "dismissed here, and the other one is CUCC's").to.equal(null);
    expect(severityOfRank(nodeOf(before, A1).subtreeWorst)).to.equal('high');
    const after = (await tree('2023-08-01')).root!;
    expect(severityOfRank(nodeOf(after, E_LOGI).worst), "the shop's finding stays with the shop").to.equal(null);
  });

  it("finds a number's chain on the chosen day, and agents by name or USCC", async () => {
    await load();
    const byNumber = await tree('2023-08-01', { q: '1069 0123 4501 88' });
    expect(byNumber.search).to.include({ kind: 'number', number: '10690123450188', found: true });
    expect([...byNumber.hits].map((n) => n.party.key)).to.deep.equal([E_LOGI]);
    const byName = await tree('2022-03-14', { q: '二级网络' });
    expect([...byName.hits].map((n) => n.party.key)).to.deep.equal([A2]);
    expect((await tree('2022-03-14', { q: A1.toLowerCase() })).hits.size).to.equal(1);
    expect((await tree('2022-03-14', { q: '没有这家' })).search).to.deep.equal({
      kind: 'party',
      text: '没有这家',
      hits: 0,
      held: 0,
    });
  });

  it('says which carrier a searched number belongs to when it is not in the tree shown', async () => {
    await load();
    const search = (await tree('2022-03-14', { carrier: 'CUCC', q: '10690123450188' })).search;
    expect(search).to.deep.equal({
      kind: 'number',
      number: '10690123450188',
      found: false,
      carrier: { id: await carrierId(ctx.dataSource, 'CMCC'), code: 'CMCC', name: '中国移动' },
    });
  });

  it("keeps a carrier's staff to their own carrier's tree in the service itself", async () => {
    await load();
    const cucc: Scope = { carrierId: await carrierId(ctx.dataSource, 'CUCC') };
    let refused: unknown = null;
    await tree('2022-03-14', { scope: cucc, carrier: 'CMCC' }).catch((error) => {
      refused = error;
    });
    expect(refused).to.be.instanceOf(TreeNotFound);
    const own = await tree('2022-03-14', { scope: cucc, carrier: null });
    expect([own.carriers.map((c) => c.code), shape(own.root!)]).to.deep.equal([
      ['CUCC'],
      { 中国联通: ['深圳无证信息技术有限公司'] },
    ]);
    // Another carrier's number is not theirs to locate: not found, and no carrier named.
    const search = (await tree('2022-03-14', { scope: cucc, carrier: null, q: '10690123450188' })).search;
    expect(search).to.deep.equal({ kind: 'number', number: '10690123450188', found: false, carrier: null });
  });

  it('profiles an agent on a day: its upstream chain, its downstream tree and the complaints traced to it per month', async () => {
    await load();
    const agent = { id: 0, uscc: A2, name: '上海二级网络科技有限公司' };
    const profile = await agentProfile(ctx.dataSource, EVERYTHING, agent, '2022-03-14');
    expect(profile.upstream.map((chain) => chain.map((link) => link.prefix))).to.deep.equal([
      ['1069012345', '106901234501'],
    ]);
    expect(shape(profile.downstream!.root)).to.deep.equal({ 上海二级网络科技有限公司: ['杭州某网店有限公司'] });
    // The complaint's number was granted to an entity: the agent answerable is the grant's holder, A2.
    expect(profile.complaintsByMonth).to.deep.equal([{ month: '2022-04', count: 1 }]);
    expect(profile.holdings.map((h) => [h.allocation.prefix, h.current])).to.deep.equal([['106901234501', true]]);
    const early = await agentProfile(ctx.dataSource, EVERYTHING, agent, '2021-05-31');
    expect([early.upstream, early.downstream, early.holdings.map((h) => h.current)]).to.deep.equal([[], null, [false]]);
    const a1 = await agentProfile(
      ctx.dataSource,
      EVERYTHING,
      { id: 0, uscc: A1, name: '北京一级通信有限公司' },
      '2022-03-14',
    );
    expect(a1.complaintsByMonth, 'A1 granted nothing the complaint traces to directly').to.deep.equal([]);
  });

  it("profiles an agent within the user's scope only", async () => {
    await load();
    const cucc: Scope = { carrierId: await carrierId(ctx.dataSource, 'CUCC') };
    const profile = await agentProfile(ctx.dataSource, cucc, { id: 0, uscc: A2, name: 'A2' }, '2022-03-14');
    expect([profile.upstream, profile.downstream, profile.complaintsByMonth, profile.holdings]).to.deep.equal([
      [],
      null,
      [],
      [],
    ]);
  });

  it('lists parties under several carriers and first-level agents with several segments, for regulators only', async () => {
    const files = smallDataset();
    // A1 also takes a CUCC segment in 2022 and grants a number in it to the shop.
    files['allocations.csv'] +=
      `10656,CUCC,${A1},2022-01-01,,工信部备案B-002,true\n1065688,${A1},${E_SHOP},2022-02-01,,,true\n`;
    await load(files);
    const report = await crossCarrierReport(ctx.dataSource, EVERYTHING, '2022-03-14');
    expect(report.parties.map((p) => [p.party.key, p.carriers.map((c) => `${c.code}:${c.allocations}`)])).to.deep.equal(
      [
        [A1, ['CMCC:1', 'CUCC:1']],
        [E_SHOP, ['CMCC:1', 'CUCC:1']],
      ],
    );
    expect(
      report.multiSegmentAgents.map((a) => [a.agent.key, a.crossCarrier, a.segments.map((s) => s.prefix)]),
    ).to.deep.equal([[A1, true, ['1069012345', '10656']]]);
    expect((await crossCarrierReport(ctx.dataSource, EVERYTHING, '2021-12-31')).parties).to.deep.equal([]);
    let refused: unknown = null;
    await crossCarrierReport(
      ctx.dataSource,
      { carrierId: await carrierId(ctx.dataSource, 'CUCC') },
      '2022-03-14',
    ).catch((error) => {
      refused = error;
    });
    expect(refused).to.be.instanceOf(CrossCarrierForbidden);
  });
});
