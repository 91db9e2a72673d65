import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { Finding } from '../../server/entities/index.ts';
import { shanghaiDate } from '../../server/numbering/time.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { signIn, type Client } from '../support/session.ts';
import { A1, A2, A3, E_GOV, E_LOGI, E_SHOP, smallDataset, uscc, writeDataset } from '../support/fixtures.ts';

/** The `<tr>…</tr>` of `html` that contains `text`, or '' when no row does. */
function rowWith(html: string, text: string): string {
  return html.match(/<tr>[\s\S]*?<\/tr>/g)?.find((row) => row.includes(text)) ?? '';
}

/** The `<table data-testid="name">` of a page. */
function table(html: string, name: string): string {
  const start = html.indexOf(`data-testid="${name}"`);
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</table>', start));
}

/** The link targets in `html`, with the entities Handlebars writes in attributes (`=` as `&#x3D;`) decoded. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
}

/** The pager's link with the given rel, decoded; '' when there is none. */
function pagerLink(html: string, rel: 'prev' | 'next'): string {
  const link =
    /<nav class="pager"[\s\S]*?<\/nav>/.exec(html)?.[0].match(new RegExp(`<a href="[^"]*" rel="${rel}">`))?.[0] ?? '';
  return hrefs(link)[0] ?? '';
}

/** `count` agents named 测试代理商01… with valid USCCs, and the carrier they would hang from. */
function manyAgents(count: number): Record<string, string> {
  const rows = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return `${uscc(`91110000000000${n.padStart(3, '0')}`)},测试代理商${n},B2-2019${n.padStart(4, '0')},,`;
  });
  return { 'agents.csv': `uscc,name,licence_no,contact,address\n${rows.join('\n')}\n` };
}

describeEachDatabase('browse pages', (ctx) => {
  let client: Client;
  const app = () => client;
  beforeEach(async () => {
    client = await signIn(createApp(ctx.dataSource, { databaseUrl: ctx.database.url }), ctx.dataSource);
  });
  const load = async (files: Record<string, string>) => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(files)));
  };
  const loadSmall = () => load(smallDataset());

  describe('carriers', () => {
    it('lists every carrier with its segment and allocation counts', async () => {
      await loadSmall();
      const page = await app().get('/carriers').expect(200);
      expect(rowWith(page.text, 'CMCC')).to.match(
        /href="\/carriers\/CMCC">中国移动<\/a>[\s\S]*<td class="num">1<\/td><td class="num">5<\/td>/,
      );
      expect(rowWith(page.text, 'CUCC')).to.match(
        /href="\/carriers\/CUCC">中国联通<\/a>[\s\S]*<td class="num">1<\/td><td class="num">1<\/td>/,
      );
    });

    it('marks the carriers section as current in the navigation', async () => {
      const page = await app().get('/carriers').expect(200);
      expect(page.text).to.include('<a href="/carriers" aria-current="page">');
    });

    it("shows a carrier's root segment with its first-level agent and filing number", async () => {
      await loadSmall();
      const page = await app().get('/carriers/CMCC').expect(200);
      const row = rowWith(table(page.text, 'segments'), '1069012345<');
      expect(row).to.include(`<a href="/agents/${A1}">北京一级通信有限公司</a>`);
      expect(row).to.include('2021-01-01 起，长期有效');
      expect(row).to.include('工信部备案A-001');
      expect(table(page.text, 'segments')).not.to.include('106901234501<');
    });

    it('flags a root segment with no MIIT filing number as unfiled', async () => {
      await loadSmall();
      const page = await app().get('/carriers/CUCC').expect(200);
      expect(rowWith(page.text, '10655<')).to.include('<span class="badge badge-warn">未备案</span>');
    });

    it('answers 404 for an unknown carrier code', async () => {
      await loadSmall();
      const page = await app().get('/carriers/NOPE').expect(404);
      expect(page.text).to.include('找不到该页面或记录');
    });
  });

  describe('agents', () => {
    it('lists agents with licence, allocations held and highest level', async () => {
      await loadSmall();
      const page = await app().get('/agents').expect(200);
      const a2 = rowWith(page.text, A2);
      expect(a2).to.include(`<a href="/agents/${A2}">上海二级网络科技有限公司</a>`);
      expect(a2).to.include('沪B2-20200002');
      expect(a2).to.match(/<td class="num">1<\/td>\s*<td class="num">2<\/td>/);
    });

    it('marks an agent without a licence with a badge', async () => {
      await loadSmall();
      const page = await app().get('/agents').expect(200);
      expect(rowWith(page.text, A3)).to.include('<span class="badge badge-warn">无许可证</span>');
      expect(rowWith(page.text, A1)).not.to.include('无许可证');
    });

    it('finds agents by a substring of the name', async () => {
      await loadSmall();
      const page = await app().get('/agents').query({ q: '上海' }).expect(200);
      const rows = table(page.text, 'agents');
      expect(rows).to.include(A2);
      expect(rows).not.to.include(A1);
      expect(rows).not.to.include(A3);
      expect(page.text).to.include('value="上海"');
    });

    it('finds agents by the start of the USCC', async () => {
      await loadSmall();
      const page = await app()
        .get('/agents')
        .query({ q: A3.slice(0, 8) })
        .expect(200);
      const rows = table(page.text, 'agents');
      expect(rows).to.include(A3);
      expect(rows).not.to.include(A1);
      expect(rows).not.to.include(A2);
    });

    it('matches a USCC only from its start, not in the middle', async () => {
      await loadSmall();
      const page = await app()
        .get('/agents')
        .query({ q: A2.slice(2, 10) })
        .expect(200);
      expect(page.text).not.to.include('data-testid="agents"');
    });

    it('treats % in the search text as a character, not a wildcard', async () => {
      await loadSmall();
      const page = await app().get('/agents').query({ q: '%' }).expect(200);
      expect(page.text).not.to.include('data-testid="agents"');
      expect(page.text).to.include('没有符合条件的记录');
    });

    it('shows no pager when every agent fits on one page', async () => {
      await loadSmall();
      const page = await app().get('/agents').expect(200);
      expect(page.text).not.to.include('class="pager"');
    });

    it('pages more than 50 agents, 50 on the first page, with a link to the next', async () => {
      await load(manyAgents(60));
      const page = await app().get('/agents').expect(200);
      expect(table(page.text, 'agents').match(/<tr>/g)).to.have.length(51); // header + 50
      expect(page.text).to.include('第 1 / 2 页，共 60 条');
      expect(pagerLink(page.text, 'next')).to.equal('/agents?page=2');
      expect(page.text).to.include('测试代理商50');
      expect(page.text).not.to.include('测试代理商51');
    });

    it('shows the remaining agents on the second page, with a link back', async () => {
      await load(manyAgents(60));
      const page = await app().get('/agents').query({ page: 2 }).expect(200);
      expect(table(page.text, 'agents').match(/<tr>/g)).to.have.length(11);
      expect(page.text).to.include('测试代理商60');
      expect(page.text).not.to.include('测试代理商50<');
      expect(pagerLink(page.text, 'prev')).to.equal('/agents');
      expect(pagerLink(page.text, 'next')).to.equal('');
    });

    it('names every page in the pager, the current one marked, beside the total', async () => {
      await load(manyAgents(60));
      const page = await app().get('/agents').query({ page: 2 }).expect(200);
      const pager = /<nav class="pager"[\s\S]*?<\/nav>/.exec(page.text)![0];
      expect(pager).to.include('<a href="/agents">1</a><span aria-current="page">2</span>');
      expect(pager).to.include('第 2 / 2 页，共 60 条');
    });

    it('keeps the search text in the pager links', async () => {
      await load(manyAgents(60));
      const page = await app().get('/agents').query({ q: '测试' }).expect(200);
      expect(pagerLink(page.text, 'next')).to.equal(`/agents?q=${encodeURIComponent('测试')}&page=2`);
    });

    it('refuses a page number that is not a positive integer', async () => {
      await app().get('/agents').query({ page: 'x' }).expect(400);
    });

    it("shows an agent's USCC, licence, contact and address", async () => {
      await loadSmall();
      const page = await app().get(`/agents/${A1}`).expect(200);
      expect(page.text).to.include(`<h1>北京一级通信有限公司</h1>`);
      expect(page.text).to.include(`<code>${A1}</code>`);
      expect(page.text).to.include('B2-20190001');
      expect(page.text).to.include('张三');
      expect(page.text).to.include('北京市海淀区');
      expect(page.text).not.to.include('校验位错误');
    });

    it('opens an agent that holds nothing today at the last day it held something, and says so', async () => {
      const A4 = uscc('91440300MA04DDDD4');
      const files = smallDataset();
      files['agents.csv'] += `${A4},深圳已退出信息技术有限公司,B2-20200004,,\n`;
      files['allocations.csv'] +=
        `1065501,${A3},${A4},2020-03-01,2021-12-31,,true\n1065502,${A3},${A4},2022-03-01,2022-04-30,,true\n`;
      await load(files);
      const page = (await app().get(`/agents/${A4}`).expect(200)).text;
      expect(page).to.match(/name="at" value="2022-04-30"/);
      expect(page).to.include(
        `今天（${shanghaiDate(new Date())}）没有持有号段，下面显示的是它最后持有号段的一天：2022-04-30`,
      );
      expect(page).not.to.include('data-testid="upstream-none"');
      const periods = page.slice(page.indexOf('data-testid="held-periods"'));
      expect(hrefs(periods.slice(0, periods.indexOf('</p>')))).to.deep.equal([
        `/agents/${A4}?at=2021-12-31`,
        `/agents/${A4}?at=2022-04-30`,
      ]);
      const asked = (await app().get(`/agents/${A4}?at=2023-01-01`).expect(200)).text;
      expect(asked).to.include('2023-01-01 该代理商没有持有任何号段；请从下面它持有号段的期间中选一天');
      // An agent that holds something today opens at today, with nothing to explain.
      const a1 = (await app().get(`/agents/${A1}`).expect(200)).text;
      expect(a1).to.match(new RegExp(`name="at" value="${shanghaiDate(new Date())}"`));
      expect(a1).not.to.include('data-testid="profile-date-note"');
    });

    it('shows the levels at which an agent is a lessee, not those of what it grants', async () => {
      await loadSmall();
      const levelsOf = async (agent: string) => {
        const html = (await app().get(`/agents/${agent}`).expect(200)).text;
        const start = html.indexOf('data-testid="levels"');
        return [...html.slice(start, html.indexOf('</dd>', start)).matchAll(/第 (\d+) 级/g)].map((m) => Number(m[1]));
      };
      expect(await levelsOf(A1)).to.deep.equal([1]);
      expect(await levelsOf(A2)).to.deep.equal([2]);
    });

    it('shows what a second-level agent holds, from whom, at level 2, undeclared', async () => {
      await loadSmall();
      const page = await app().get(`/agents/${A2}`).expect(200);
      const holdings = table(page.text, 'holdings');
      const row = rowWith(holdings, '106901234501<');
      expect(row).to.include(`<a href="/agents/${A1}">北京一级通信有限公司</a>`);
      expect(row).to.include('第 2 级');
      expect(row).to.include('<span class="badge badge-warn">未申报</span>');
      expect(holdings.match(/<tr>/g)).to.have.length(2);
    });

    it('shows what an agent grants, to whom: one prefix to both entities in turn', async () => {
      await loadSmall();
      const page = await app().get(`/agents/${A2}`).expect(200);
      const grants = table(page.text, 'grants');
      const shop = rowWith(grants, E_SHOP);
      const logi = rowWith(grants, E_LOGI);
      expect(shop).to.include('10690123450188<');
      expect(shop).to.include(`<a href="/entities/${E_SHOP}">杭州某网店有限公司</a>`);
      expect(shop).to.include('2022-01-01 至 2023-06-30');
      expect(logi).to.include('10690123450188<');
      expect(logi).to.include(`<a href="/entities/${E_LOGI}">杭州某物流有限公司</a>`);
      expect(logi).to.include('2023-07-01 起，长期有效');
    });

    it("names the carrier as the source of a first-level agent's segment", async () => {
      await loadSmall();
      const page = await app().get(`/agents/${A1}`).expect(200);
      expect(rowWith(table(page.text, 'holdings'), '1069012345<')).to.include('<a href="/carriers/CMCC">中国移动</a>');
    });

    it('flags an agent whose USCC has a wrong check character', async () => {
      const bad = A1.slice(0, 17) + (A1[17] === '0' ? '1' : '0');
      await load({ 'agents.csv': `uscc,name\n${bad},校验错误代理有限公司\n` });
      const page = await app().get(`/agents/${bad}`).expect(200);
      expect(page.text).to.include('<span class="badge badge-warn">校验位错误</span>');
    });

    it('answers 404 for an unknown USCC', async () => {
      await loadSmall();
      await app().get(`/agents/${E_LOGI}`).expect(404);
      const page = await app().get('/agents/NOT-A-USCC').expect(404);
      expect(page.text).to.include('找不到该页面或记录');
    });

    it('escapes an agent name that holds HTML, on the list and on its page', async () => {
      const evil = uscc('91110000000000999');
      await load({ 'agents.csv': `uscc,name\n${evil},<script>alert(1)</script>\n` });
      for (const path of ['/agents', `/agents/${evil}`]) {
        const page = await app().get(path).expect(200);
        expect(page.text, path).not.to.include('<script>alert(1)</script>');
        expect(page.text, path).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
      }
    });
  });

  describe('using entities', () => {
    it('lists entities with their class and signatures', async () => {
      await loadSmall();
      const page = await app().get('/entities').expect(200);
      const gov = rowWith(page.text, E_GOV);
      expect(gov).to.include(`<a href="/entities/${E_GOV}">北京市公安局公安交通管理局</a>`);
      expect(gov).to.include('<td>机关</td>');
      expect(gov).to.include('【北京交警】');
      expect(rowWith(page.text, E_LOGI)).to.include('<td>企业</td>');
      expect(rowWith(page.text, E_LOGI)).to.include('【某物流】');
    });

    it('finds entities by a substring of the name', async () => {
      await loadSmall();
      const page = await app().get('/entities').query({ q: '物流' }).expect(200);
      const rows = table(page.text, 'entities');
      expect(rows).to.include(E_LOGI);
      expect(rows).not.to.include(E_SHOP);
      expect(rows).not.to.include(E_GOV);
    });

    it("shows an entity's signatures, its class and a valid check character", async () => {
      await loadSmall();
      const page = await app().get(`/entities/${E_GOV}`).expect(200);
      expect(page.text).to.include('<span class="signature">【北京交警】</span>');
      expect(page.text).to.include('<span class="signature">【北京市公安局公安交通管理局】</span>');
      expect(page.text).to.match(/data-testid="kind">机关</);
      expect(page.text).to.include('校验位正确');
    });

    it('shows the numbers granted to an entity, with a lookup link and who granted them', async () => {
      await loadSmall();
      const page = await app().get(`/entities/${E_GOV}`).expect(200);
      const row = rowWith(table(page.text, 'numbers'), '106901234502<');
      expect(hrefs(row)).to.include('/lookup?number=106901234502');
      expect(row).to.include(`<a href="/agents/${A1}">北京一级通信有限公司</a>`);
      expect(row).to.include('2021-03-01 起，长期有效');
    });

    it('shows the findings about an entity, and the messages and complaints from its numbers while it held them', async () => {
      const files = smallDataset();
      files['messages.csv'] += 'R3,10690123450188,2022-03-15T09:30:00+08:00,【北京交警】您有一条违章记录待处理,\n';
      await load(files);
      await runAudit(ctx.dataSource, { actor: 'tester' });
      const shop = (await app().get(`/entities/${E_SHOP}`).expect(200)).text;
      expect(table(shop, 'entity-messages')).to.include('您的订单已发货').and.include('R3');
      expect(table(shop, 'entity-complaints')).to.include('C1').and.include('冒充交警').and.include('30000');
      expect(table(shop, 'entity-findings')).to.include('冒用政府机关');
      // Its findings, all of them, are one link away on the findings page.
      const about = (await app().get(`/findings?entity=${E_SHOP}`).expect(200)).text;
      const own = await ctx.dataSource.getRepository(Finding).countBy({ entityUscc: E_SHOP });
      expect(about).to.include(`共 ${own} 条`).and.include('data-testid="entity-filter"');
      expect(own).to.be.lessThan(await ctx.dataSource.getRepository(Finding).count());
      // The number passed to E_LOGI on 2023-07-01: what was sent before is not its traffic.
      const logi = (await app().get(`/entities/${E_LOGI}`).expect(200)).text;
      expect(logi).not.to.include('data-testid="entity-messages"');
      expect(logi).to.include('该主体持有号码期间没有从这些号码发出的短信样本');
      expect(logi).to.include('该主体持有号码期间没有针对这些号码的投诉');
      expect(table(logi, 'entity-findings')).to.equal('');
    });

    it('shows a staff class override next to the class the USCC implies', async () => {
      await load({ 'entities.csv': `uscc,name,signatures,kind\n${E_SHOP},某医院,某医院,institution\n` });
      const page = await app().get(`/entities/${E_SHOP}`).expect(200);
      expect(page.text).to.match(
        /data-testid="kind">事业单位 <span class="badge badge-warn">人工设定；按信用代码应为“企业”<\/span>/,
      );
    });

    it('answers 404 for an unknown USCC', async () => {
      await loadSmall();
      await app().get(`/entities/${A1}`).expect(404);
    });
  });

  it('speaks English on every browse page after ?lang=en', async () => {
    await loadSmall();
    const expected: Record<string, string[]> = {
      '/carriers': ['Allocations (segments included)'],
      '/carriers/CUCC': ['Not filed', 'from 2020-01-01, open-ended'],
      '/agents': ['Value-added telecom licence', 'No licence'],
      [`/agents/${A2}`]: ['What it holds, from whom', 'Undeclared', 'Level 2', '2022-01-01 to 2023-06-30'],
      '/entities': ['Government organ'],
      [`/entities/${E_GOV}`]: ['Numbers registered to this entity', 'Check character correct'],
    };
    for (const [path, texts] of Object.entries(expected)) {
      const page = await app().get(path).query({ lang: 'en' }).expect(200);
      expect(page.text, path).to.include('<html lang="en">');
      for (const text of texts) expect(page.text, path).to.include(text);
      expect(page.text, path).not.to.match(/长期有效|未申报|第 \d+ 级|校验位|未备案|无许可证/);
    }
  });
});
