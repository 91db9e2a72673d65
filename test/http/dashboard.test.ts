import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { In } from 'typeorm';
import { Agent, Carrier, Finding, Issuer, Notice } from '../../server/entities/index.ts';
import { SEVERITIES } from '../../server/entities/Finding.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { dateOfDayNumber, dayNumber, shanghaiDate } from '../../server/numbering/time.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { issueNotice } from '../../server/services/notices/notices.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A2, A3, smallDataset, writeDataset } from '../support/fixtures.ts';
import { signIn, type Client } from '../support/session.ts';

/** The small dataset and a traffic-police impersonation sent from A2's number: an open critical finding under CMCC. */
function dataset(): Record<string, string> {
  const files = smallDataset();
  files['messages.csv'] +=
    'M9,10690123450188,2022-05-02T08:00:00+08:00,【北京交警】您有违章未处理，请点击 t.cn/x 查询,\n';
  return files;
}

/** A page's markup with the escapes Handlebars puts in addresses undone (`&amp;`, `&#x3D;`). */
const plain = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** The severity tiles of a dashboard: severity → [count, link]. */
function tiles(html: string): Record<string, [number, string]> {
  const found = plain(html).matchAll(
    /href="([^"]+)" data-severity="(\w+)"><span class="label">[^<]*<\/span> <span class="value">(\d+)</g,
  );
  return Object.fromEntries([...found].map(([, href, severity, count]) => [severity, [Number(count), href]]));
}

/** The rows of open findings by rule: rule → [count, link]. */
function rules(html: string): Record<string, [number, string]> {
  const found = plain(html).matchAll(
    /<li data-rule="(\w+)"><a href="([^"]+)">[\s\S]*?<a class="num" href="[^"]+">(\d+)<\/a><\/li>/g,
  );
  return Object.fromEntries([...found].map(([, rule, href, count]) => [rule, [Number(count), href]]));
}

/** The part of the page a section (data-testid) holds, up to the next section. */
function section(html: string, testId: string): string {
  const start = html.indexOf(`data-testid="${testId}"`);
  expect(start, `section ${testId}`).to.be.greaterThan(-1);
  const end = html.indexOf('</section>', start);
  return plain(html.slice(start, end));
}

/** What a findings list says it holds in all ("共 N 条"). */
async function listTotal(client: Client, url: string): Promise<number> {
  const page = (await client.get(url).expect(200)).text;
  return Number(/共 (\d+) 条/.exec(page)![1]);
}

describeEachDatabase('the dashboard as a risk cockpit', (ctx) => {
  let cmcc: Client;
  let cucc: Client;
  let regulator: Client;
  let carrierIds: Record<string, number>;
  let notices: Record<'overdue' | 'dueSoon' | 'later', Notice>;

  /** Open findings in the store by severity, for one carrier or all. */
  async function openBySeverity(carrierId?: number): Promise<Record<string, number>> {
    const rows = await ctx.dataSource
      .getRepository(Finding)
      .findBy({ status: 'open', ...(carrierId === undefined ? {} : { rootCarrierId: carrierId }) });
    return Object.fromEntries(SEVERITIES.map((s) => [s, rows.filter((r) => r.severity === s).length]));
  }

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(dataset())));
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const carriers = await ctx.dataSource.getRepository(Carrier).find();
    carrierIds = Object.fromEntries(carriers.map((c) => [c.code, c.id]));
    for (const [code, name] of [
      ['移合规', 'CMCC'],
      ['联合规', 'CUCC'],
    ])
      await ctx.dataSource.getRepository(Issuer).save({
        code,
        name: `${name} 合规部`,
        carrierId: carrierIds[name],
        signatory: '合规部',
        copyTo: null,
        printedBy: '办公室',
      });
    const today = dayNumber(shanghaiDate(new Date()));
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const findingOf = async (rule: string) =>
      (await ctx.dataSource.getRepository(Finding).findOneByOrFail({ rule })).id;
    const as = (code: string) => ({ name: code, scope: { carrierId: carrierIds[code] }, role: 'carrier' as const });
    notices = {
      // Issued 40 days ago with 15 days to act: 25 days overdue.
      overdue: await issueNotice(
        ctx.dataSource,
        {
          agentUscc: A1,
          findingIds: [await findingOf('MULTI_LEVEL_RELEASE')],
          now: daysAgo(40),
          deadline: dateOfDayNumber(today - 25),
        },
        as('CMCC'),
      ),
      dueSoon: await issueNotice(
        ctx.dataSource,
        { agentUscc: A3, findingIds: [await findingOf('SEGMENT_UNFILED')], deadline: dateOfDayNumber(today + 3) },
        as('CUCC'),
      ),
      later: await issueNotice(
        ctx.dataSource,
        { agentUscc: A3, findingIds: [await findingOf('UNLICENSED_LESSEE')], deadline: dateOfDayNumber(today + 20) },
        as('CUCC'),
      ),
    };
    const app = createApp(ctx.dataSource);
    cmcc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CMCC' });
    cucc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CUCC' });
    regulator = await signIn(app, ctx.dataSource, { role: 'regulator' });
  });

  it('counts open findings by severity and by rule, each linking to the findings list that holds exactly them', async () => {
    const page = (await regulator.get('/').expect(200)).text;
    const bySeverity = tiles(page);
    expect(Object.fromEntries(Object.entries(bySeverity).map(([s, [count]]) => [s, count]))).to.deep.equal(
      await openBySeverity(),
    );
    for (const [severity, [count, url]] of Object.entries(bySeverity)) {
      expect(url).to.equal(`/findings?severity=${severity}&status=open`);
      expect(await listTotal(regulator, url), url).to.equal(count);
    }
    const byRule = rules(page);
    const open = await ctx.dataSource.getRepository(Finding).findBy({ status: 'open' });
    expect(Object.keys(byRule))
      .to.have.members([...new Set(open.map((f) => f.rule))])
      .and.include('GOV_IMPERSONATION');
    for (const [rule, [count, url]] of Object.entries(byRule)) {
      expect(url).to.equal(`/findings?rule=${rule}&status=open`);
      expect(await listTotal(regulator, url), url).to.equal(count);
    }
    // The notified ones (all three notices') are not open: not counted.
    expect(byRule).not.to.have.property('MULTI_LEVEL_RELEASE');
  });

  it("shows a carrier user only its own carrier's numbers, agents and notices", async () => {
    const mine = (await cmcc.get('/').expect(200)).text;
    const theirs = (await cucc.get('/').expect(200)).text;
    const everyone = (await regulator.get('/').expect(200)).text;
    const counts = (html: string) => Object.fromEntries(Object.entries(tiles(html)).map(([s, [n]]) => [s, n]));
    expect(counts(mine)).to.deep.equal(await openBySeverity(carrierIds.CMCC));
    expect(counts(theirs)).to.deep.equal(await openBySeverity(carrierIds.CUCC));
    // The store holds open findings of CMCC only, so the two carriers' numbers differ.
    expect(counts(mine)).not.to.deep.equal(counts(theirs));
    expect(counts(everyone).critical).to.equal(counts(mine).critical + counts(theirs).critical);
    // Agents: CMCC's chains hold A1 and A2, CUCC's A3.
    expect(section(mine, 'worst-agents')).to.include(A1).and.not.include(A3);
    expect(section(theirs, 'worst-agents')).to.include(A3).and.not.include(A1).and.not.include(A2);
    // Notices: each carrier its own.
    expect(section(mine, 'notices-due')).to.include(notices.overdue.documentNumber);
    expect(section(mine, 'notices-due')).not.to.include(notices.dueSoon.documentNumber);
    expect(section(theirs, 'notices-due')).to.include(notices.dueSoon.documentNumber);
    expect(section(theirs, 'notices-due')).not.to.include(notices.overdue.documentNumber);
    for (const secret of [
      '中国移动',
      '北京一级通信有限公司',
      '上海二级网络科技有限公司',
      notices.overdue.documentNumber,
    ])
      expect(theirs, secret).not.to.include(secret);
  });

  it('lists the newest open critical findings and the overdue and due-soon notices, each linking to where to act', async () => {
    const page = (await regulator.get('/').expect(200)).text;
    const critical = section(page, 'critical-findings');
    const open = await ctx.dataSource.getRepository(Finding).findBy({ severity: 'critical', status: 'open' });
    expect(open.length).to.be.greaterThan(0);
    for (const finding of open) expect(critical).to.include(`href="/findings/${finding.id}"`);
    expect(critical).to.include('href="/findings?severity=critical&status=open"');
    // The responsible agent by name, not by its USCC.
    const agents = await ctx.dataSource.getRepository(Agent).findBy({ uscc: In(open.map((f) => f.agentUscc ?? '')) });
    expect(agents.length).to.be.greaterThan(0);
    for (const agent of agents) expect(critical).to.include(`代理商 ${agent.name}</a>`);
    const due = section(page, 'notices-due');
    expect(section(due, 'notices-overdue'))
      .to.include(`href="/notices/${notices.overdue.id}"`)
      .and.include('逾期 25 天');
    expect(section(due, 'notices-due-soon'))
      .to.include(`href="/notices/${notices.dueSoon.id}"`)
      .and.include('还剩 3 天');
    expect(due).not.to.include(notices.later.documentNumber);
    expect(due).to.include('href="/notices?status=overdue"');
  });

  it('ranks the riskiest agents with their level, carrier and open findings, linking to their page and to a notice', async () => {
    const agents = section((await regulator.get('/').expect(200)).text, 'worst-agents');
    const row = (uscc: string) => new RegExp(`<tr data-uscc="${uscc}">[\\s\\S]*?</tr>`).exec(agents)?.[0] ?? '';
    const a2 = row(A2);
    expect(a2).to.include(`href="/agents/${A2}"`).and.include('第 2 级').and.include('中国移动');
    const pending = Number(new RegExp(`href="/findings\\?agent=${A2}&status=open">(\\d+)<`).exec(a2)![1]);
    expect(pending).to.be.greaterThan(0);
    expect(await listTotal(regulator, `/findings?agent=${A2}&status=open`)).to.equal(pending);
    expect(a2).to.include(`href="/agents/${A2}/notices/new"`);
    // A1's one finding is in a notice: the row leads to its notices instead.
    expect(row(A1)).to.include('第 1 级').and.include(`href="/notices?agent=${A1}"`);
    expect(row(A3)).to.include('中国联通');
  });
});
