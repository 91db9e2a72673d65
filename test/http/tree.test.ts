import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { Renderer } from '../../server/services/notices/rendering.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { addFinding } from '../support/findings.ts';
import { A1, A2, A3, E_GOV, E_LOGI, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';
import { largeTree } from '../support/largeTree.ts';
import { signIn, type Client } from '../support/session.ts';

/** The `data-key`s of the nested list (the drawing's text alternative), in document order. */
function listedNames(html: string): string[] {
  const list = html.slice(
    html.indexOf('data-testid="tree-list"'),
    html.indexOf('</section>', html.indexOf('data-testid="tree-list"')),
  );
  return [...list.matchAll(/<li data-key="[^"]+"[^>]*>\s*<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);
}

/** The hierarchy drawing (not the overview beside it) of a page or an exported file. */
function treeSvg(html: string): string {
  const start = html.indexOf('data-testid="tree-svg"');
  return html.slice(start, html.indexOf('</svg>', start));
}

/** The drawing's node boxes' first lines, in document order. */
function drawnNames(html: string): string[] {
  return [...treeSvg(html).matchAll(/<text [^>]*font-weight="600"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** One box of the drawing: its `<g>` up to its end, found by the name its tooltip starts with. */
function box(html: string, name: string): string {
  const svg = treeSvg(html);
  const title = svg.indexOf(`<title>${name} (`);
  expect(title, `a box for ${name}`).to.be.above(-1);
  return svg.slice(svg.lastIndexOf('<g class="node', title), svg.indexOf('</g>', title));
}

/** The fill of a box (or cell): its first rect's. */
const fillOf = (element: string) => /<rect [^>]*fill="([^"]+)"/.exec(element)![1];

/** The severity of the hatched "risk below" strip in a box or cell, or null. */
const belowOf = (element: string) => /fill="url\(#(?:tree|icicle)-below-(\w+)\)"/.exec(element)?.[1] ?? null;

/** The overview beside the drawing. */
function icicleSvg(html: string): string {
  const start = html.indexOf('data-testid="tree-icicle"');
  expect(start, 'an overview on the page').to.be.above(-1);
  return html.slice(start, html.indexOf('</svg>', start));
}

interface IcicleCellSeen {
  name: string;
  x: number;
  y: number;
  height: number;
  fill: string;
  below: string | null;
  href: string | null;
}

/** The overview's cells, each as its tooltip's first line names it, with its place, colour and link. */
function icicleCells(html: string): IcicleCellSeen[] {
  return [...icicleSvg(html).matchAll(/<g class="cell"><title>([^<]*)<\/title>([\s\S]*?)<\/g>/g)].map((m) => {
    const rect = /<rect x="([^"]+)" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="([^"]+)"/.exec(m[2])!;
    return {
      name: m[1].split('\n')[0].replace(/ \(.*$/, ''),
      x: Number(rect[1]),
      y: Number(rect[2]),
      height: Number(rect[3]),
      fill: rect[4],
      below: belowOf(m[2]),
      href: hrefs(m[2])[0] ?? null,
    };
  });
}

/** The overview's column headings: level and count. */
function icicleColumns(html: string): string[][] {
  return [
    ...icicleSvg(html).matchAll(/<g class="band">[\s\S]*?<text [^>]*>([^<]*)<\/text><text [^>]*>([^<]*)<\/text>/g),
  ].map((m) => [m[1], m[2]]);
}

const CRITICAL = '#7a1a14';
const MEDIUM = '#fff4db';
const NONE = '#ffffff';

/** The link targets in `html`, with the entities Handlebars writes in attributes decoded. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
}

/**
 * The small dataset with parties under both carriers on 2022-03-14: CUCC's A3 serves the
 * government, the shop and the logistics firm (the last also under CMCC through A1), holds a
 * second segment, and A1 takes a CUCC segment too.
 */
function crossCarrierDataset(): Record<string, string> {
  const files = smallDataset();
  files['allocations.csv'] +=
    [
      `1065501,${A3},${E_GOV},2022-01-01,,,true`,
      `1065502,${A3},${E_LOGI},2022-01-01,,,true`,
      `1065503,${A3},${E_SHOP},2022-01-01,,,true`,
      `10657,CUCC,${A3},2022-01-01,,,true`,
      `10656,CUCC,${A1},2022-01-01,,工信部备案B-002,true`,
      `106901234503,${A1},${E_LOGI},2021-03-01,,,true`,
    ].join('\n') + '\n';
  return files;
}

describeEachDatabase('tree pages', (ctx) => {
  let regulator: Client;
  let cucc: Client;

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const app = createApp(ctx.dataSource);
    regulator = await signIn(app, ctx.dataSource, { role: 'regulator' });
    cucc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CUCC' });
  });

  it("draws the carrier's tree on each day as SVG and as the same nested list", async () => {
    const before = (await regulator.get('/tree?carrier=CMCC&at=2022-03-14&depth=3').expect(200)).text;
    const expected = [
      '中国移动',
      '北京一级通信有限公司',
      '上海二级网络科技有限公司',
      '杭州某网店有限公司',
      '北京市公安局公安交通管理局',
    ];
    expect(listedNames(before)).to.deep.equal(expected);
    expect(drawnNames(before)).to.have.members(expected);
    expect(before).to.match(/<svg [^>]*role="img" aria-labelledby="tree-svg-title tree-svg-desc"/);
    expect(before).to.include('<title id="tree-svg-title">中国移动 于 2022-03-14 的号段层级图</title>');
    const after = (await regulator.get('/tree?carrier=CMCC&at=2023-08-01&depth=3').expect(200)).text;
    expect(listedNames(after)).to.deep.equal([
      '中国移动',
      '北京一级通信有限公司',
      '上海二级网络科技有限公司',
      '杭州某物流有限公司',
      '北京市公安局公安交通管理局',
    ]);
    expect(after).to.include('中国移动 于 2023-08-01：共 4 条有效分配，2 个号码登记到使用主体；图中画出 4 条。');
  });

  it('draws the undeclared re-lease dashed, its link and its box, and nothing else dashed', async () => {
    const page = (await regulator.get('/tree?carrier=CMCC&at=2022-03-14&depth=3').expect(200)).text;
    expect(page.match(/stroke-dasharray="7 4"/g)).to.have.length(2);
    expect(page).to.match(
      /<g class="node" data-key="a\d+"><title>上海二级网络科技有限公司[\s\S]*?stroke-dasharray="7 4"/,
    );
  });

  it("collapses below the chosen depth, and a node's toggle link opens it", async () => {
    const page = (await regulator.get('/tree?carrier=CMCC&at=2022-03-14').expect(200)).text;
    expect(listedNames(page)).to.deep.equal([
      '中国移动',
      '北京一级通信有限公司',
      '上海二级网络科技有限公司',
      '北京市公安局公安交通管理局',
    ]);
    expect(page).to.include('展开（下有 1 条）');
    // A2's toggle in the list (the drawing has the same link on its "+").
    const toggle = hrefs(/<a class="toggle" href="[^"]*" data-testid="toggle-a\d+">展开/.exec(page)![0])[0];
    expect(page).to.include(
      `<a href="${toggle.replace(/=/g, '&#x3D;').replace(/&(?!#)/g, '&amp;')}" class="toggle" aria-label="展开（下有 1 条）"`,
    );
    const opened = (await regulator.get(toggle).expect(200)).text;
    expect(listedNames(opened)).to.include('杭州某网店有限公司');
    expect(opened).to.include('收起');
  });

  it("marks a searched number's path on the chosen day, and a searched agent", async () => {
    const byNumber = (await regulator.get('/tree?carrier=CMCC&at=2023-08-01&depth=1&q=10690123450188').expect(200))
      .text;
    expect(byNumber).to.include('号码 10690123450188 于 2023-08-01 由 杭州某物流有限公司 持有');
    expect(byNumber).to.match(new RegExp(`<li data-key="a\\d+" class="hit">\\s*<a href="/entities/${E_LOGI}">`));
    // The path is drawn in the highlight colour although the default depth shows one level only.
    expect(listedNames(byNumber)).to.include('杭州某物流有限公司');
    expect(byNumber.match(/stroke="#1f4fb3" stroke-width="2.5"/g)).to.have.length(3);
    const byAgent = (await regulator.get(`/tree?carrier=CMCC&at=2022-03-14&q=${A2}`).expect(200)).text;
    expect(byAgent).to.include(`“${A2}”命中 1 个节点`);
    const none = (await regulator.get('/tree?carrier=CUCC&at=2022-03-14&q=10690123450188').expect(200)).text;
    expect(none).to.include('不在该运营商的号段内，而属于 中国移动');
    expect(hrefs(none)).to.include('/tree?carrier=CMCC&at=2022-03-14&q=10690123450188');
  });

  it('answers a malformed parameter with 400 and a message saying what is wrong', async () => {
    expect((await regulator.get('/tree?at=2022-13-01').expect(400)).text).to.include(
      '查询参数 at 无效：应为格式为 YYYY-MM-DD、',
    );
    expect((await regulator.get('/tree?depth=99').expect(400)).text).to.include(
      '查询参数 depth 无效：应为介于 1 和 8 之间的整数',
    );
    expect((await regulator.get('/tree?toggle=1;2').expect(400)).text).to.include(
      '查询参数 toggle 无效：应为以逗号分隔的编号',
    );
    expect((await regulator.get('/tree?at=2022-01-01&at=2022-02-01').expect(400)).text).to.include(
      '查询参数 at 只能给出一次',
    );
    expect((await regulator.get(`/agents/${A1}?at=yesterday`).expect(400)).text).to.include('查询参数 at 无效');
    await regulator.get('/tree?carrier=NOPE').expect(404);
  });

  it("shows a carrier's staff their own carrier's tree only: another carrier's is 404 in the page and the exports", async () => {
    const own = (await cucc.get('/tree?at=2022-03-14').expect(200)).text;
    expect(listedNames(own)).to.deep.equal(['中国联通', '深圳无证信息技术有限公司']);
    expect(own).not.to.include('中国移动');
    expect(own).not.to.include('/tree/cross-carrier');
    await cucc.get('/tree?carrier=CMCC').expect(404);
    await cucc.get('/tree/export.csv?carrier=CMCC').expect(404);
    await cucc.get('/tree/export.svg?carrier=CMCC').expect(404);
    await cucc.get('/tree/cross-carrier').expect(403);
  });

  it('exports the whole tree of the day as CSV, one row per allocation with its level and path', async () => {
    const response = await regulator
      .get('/tree/export.csv?carrier=CMCC&at=2023-08-01&depth=1')
      .expect(200)
      .expect('Content-Type', 'text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).to.equal('attachment; filename=tree-CMCC-2023-08-01.csv');
    const [header, ...rows] = response.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header).to.equal(
      'carrier,depth,level,prefix,holder_kind,holder,holder_name,lessee_kind,lessee,lessee_name,valid_from,valid_to,declared,miit_filing_no,numbers,messages,complaints,worst_open_finding,path,path_names',
    );
    // Collapsing is for the eye: the export has every allocation.
    expect(rows.map((row) => row.split(',').slice(1, 4).concat(row.split(',').slice(-2)))).to.deep.equal([
      ['1', '1', '1069012345', '1069012345', '中国移动 > 北京一级通信有限公司'],
      [
        '2',
        '2',
        '106901234501',
        '1069012345/106901234501',
        '中国移动 > 北京一级通信有限公司 > 上海二级网络科技有限公司',
      ],
      [
        '3',
        '2',
        '10690123450188',
        '1069012345/106901234501/10690123450188',
        '中国移动 > 北京一级通信有限公司 > 上海二级网络科技有限公司 > 杭州某物流有限公司',
      ],
      [
        '2',
        '1',
        '106901234502',
        '1069012345/106901234502',
        '中国移动 > 北京一级通信有限公司 > 北京市公安局公安交通管理局',
      ],
    ]);
  });

  it('neutralises CSV cells a spreadsheet would run as formulas, and quotes commas', async () => {
    const files = smallDataset();
    files['agents.csv'] = files['agents.csv'].replace(
      '上海二级网络科技有限公司',
      '"=HYPERLINK(""http://x.example"",""点我"")"',
    );
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(files)));
    const csv = (await regulator.get('/tree/export.csv?carrier=CMCC&at=2022-03-14').expect(200)).text;
    expect(csv).to.include(`,agent,${A2},"'=HYPERLINK(""http://x.example"",""点我"")",`);
    expect(csv).not.to.match(/,=HYPERLINK/);
  });

  it("exports the drawing as a standalone SVG file without the page's links", async () => {
    const response = await regulator
      .get('/tree/export.svg?carrier=CMCC&at=2022-03-14&depth=3')
      .expect(200)
      .expect('Content-Type', 'image/svg+xml; charset=utf-8');
    const svg = response.text || response.body.toString('utf8');
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(
      true,
    );
    expect(drawnNames(svg)).to.include('杭州某网店有限公司');
    expect(svg).not.to.include('<a ');
    expect(response.headers['content-disposition']).to.equal('attachment; filename=tree-CMCC-2022-03-14.svg');
  });

  it("exports the drawing as a PNG through the system's Chromium", async function () {
    this.timeout(60_000);
    const response = await regulator
      .get('/tree/export.png?carrier=CMCC&at=2022-03-14&depth=3')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('Content-Type', 'image/png');
    const png = response.body as Buffer;
    expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    // IHDR: width and height of the picture, as laid out (4 columns of 330, the last box 262 wide, margins, toggle
    // room).
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).to.deep.equal([16 * 2 + 3 * 330 + 262 + 28, 138]);
  });

  it('a PNG export that finds the render queue full is answered 503 with Retry-After, shared with notice PDFs', async () => {
    const renderer = new Renderer({ concurrency: 1, maxWaiting: 0 });
    const client = await signIn(createApp(ctx.dataSource, { renderer }), ctx.dataSource, { role: 'regulator' });
    let release!: () => void;
    const held = renderer.queue.run(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const refused = await client
      .get('/tree/export.png?carrier=CMCC&at=2022-03-14')
      .expect(503)
      .expect('Retry-After', '5');
    expect(refused.text).to.include('服务器正忙于生成其他 PDF 或图片，等候队列已满');
    expect(renderer.queue.rejected).to.equal(1);
    release();
    await held;
    await renderer.close();
  });

  it('lists parties under several carriers and multi-segment first-level agents for regulators', async () => {
    const page = (await regulator.get('/tree/cross-carrier?at=2022-03-14').expect(200)).text;
    expect(page).to.include('该日没有同时出现在多个运营商下的代理商或使用主体。');
    expect(page).to.include('该日没有持有多个号段的一级代理商。');
    await regulator.get('/tree/cross-carrier?at=nope').expect(400);
  });

  it('adds the profile to the agent page: upstream chain, downstream drawing, findings, complaints per month and holdings over time', async () => {
    const page = (await regulator.get(`/agents/${A2}?at=2022-03-14`).expect(200)).text;
    const upstream = page.slice(
      page.indexOf('data-testid="upstream"'),
      page.indexOf('</ol>', page.indexOf('data-testid="upstream"')),
    );
    expect([...upstream.matchAll(/<span class="prefix">(\d+)<\/span>/g)].map((m) => m[1])).to.deep.equal([
      '1069012345',
      '106901234501',
    ]);
    expect(page).to.include('data-testid="downstream-list"');
    expect(page).to.include('该日经其持有的号段共有 2 条有效分配，1 个号码登记到使用主体；图中画出 2 条。');
    expect(drawnNames(page)).to.deep.equal(['上海二级网络科技有限公司', '杭州某网店有限公司']);
    expect(page).to.include('<title>2022-04：1 起</title>');
    expect(page).to.match(/<table data-testid="complaints-by-month">[\s\S]*<td>2022-04<\/td><td class="num">1<\/td>/);
    expect(page).to.include('data-testid="holdings-timeline"');
    expect(page).to.include('没有指向该代理商的风险线索。');
    const later = (await regulator.get(`/agents/${A2}?at=2023-08-01`).expect(200)).text;
    expect(drawnNames(later)).to.deep.equal(['上海二级网络科技有限公司', '杭州某物流有限公司']);
    const early = (await regulator.get(`/agents/${A2}?at=2021-01-01`).expect(200)).text;
    expect(early).to.include('data-testid="upstream-none"');
    expect(early).to.include('data-testid="downstream-none"');
    const a1 = (await regulator.get(`/agents/${A1}?at=2022-03-14`).expect(200)).text;
    expect(a1).to.include('data-testid="complaints-none"');
    expect(drawnNames(a1)).to.have.members([
      '北京一级通信有限公司',
      '上海二级网络科技有限公司',
      '杭州某网店有限公司',
      '北京市公安局公安交通管理局',
    ]);
  });
  it('colours a box by the findings on its own allocation and marks worse findings below it with a hatched strip', async () => {
    // The shop's number is critical; A1 itself is medium; A2's own critical finding was dismissed.
    await addFinding(ctx.dataSource, {
      carrier: 'CMCC',
      severity: 'critical',
      entity: E_SHOP,
      prefix: '10690123450188',
    });
    await addFinding(ctx.dataSource, { carrier: 'CMCC', severity: 'medium', agent: A1 });
    await addFinding(ctx.dataSource, { carrier: 'CMCC', severity: 'critical', agent: A2, status: 'dismissed' });
    const page = (await regulator.get('/tree?carrier=CMCC&at=2022-03-14&depth=3').expect(200)).text;
    const seen = (name: string) => [fillOf(box(page, name)), belowOf(box(page, name))];
    expect(seen('杭州某网店有限公司')).to.deep.equal([CRITICAL, null]);
    expect(seen('上海二级网络科技有限公司'), 'nothing of its own: white, critical below').to.deep.equal([
      NONE,
      'critical',
    ]);
    expect(seen('北京一级通信有限公司'), 'its own medium, critical below').to.deep.equal([MEDIUM, 'critical']);
    expect(seen('北京市公安局公安交通管理局')).to.deep.equal([NONE, null]);
    expect(belowOf(box(page, '中国移动'))).to.equal('critical');
    expect(box(page, '北京一级通信有限公司')).to.include('下级有更严重的未处理线索：严重');
    // The text alternative says the same, on the carrier, A1 and A2.
    const list = page.slice(page.indexOf('data-testid="tree-list"'));
    expect(list.match(/class="risk-below risk-below-critical">下级有更严重的未处理线索：严重</g)).to.have.length(3);
    // Collapsed, A1 still says what it hides.
    const shut = (await regulator.get('/tree?carrier=CMCC&at=2022-03-14&depth=1').expect(200)).text;
    expect(drawnNames(shut)).not.to.include('杭州某网店有限公司');
    expect(belowOf(box(shut, '北京一级通信有限公司'))).to.equal('critical');
    // A drawing that is only as red as its own allocations: one box of five.
    expect([...treeSvg(page).matchAll(/rx="6" fill="#7a1a14"/g)]).to.have.length(1);
    // The exported file carries its own hatching.
    const exported = await regulator.get('/tree/export.svg?carrier=CMCC&at=2022-03-14&depth=3').expect(200);
    const svg = exported.text || (exported.body as Buffer).toString('utf8');
    expect(svg).to.include('<pattern id="tree-below-critical"');
    expect(svg).to.include('fill="url(#tree-below-critical)"');
  });

  it('draws the whole tree as an icicle beside the drawing: a column per level, a cell per allocation, each linking to the tree focused on it', async () => {
    await addFinding(ctx.dataSource, {
      carrier: 'CMCC',
      severity: 'critical',
      entity: E_SHOP,
      prefix: '10690123450188',
    });
    // At the default depth the shop is not drawn in the tree; the overview shows it all the same.
    const page = (await regulator.get('/tree?carrier=CMCC&at=2022-03-14').expect(200)).text;
    expect(drawnNames(page)).not.to.include('杭州某网店有限公司');
    expect(icicleColumns(page)).to.deep.equal([
      ['第 1 级', '1 条'],
      ['第 2 级', '2 条'],
      ['第 3 级', '1 条'],
    ]);
    const cells = icicleCells(page);
    expect(cells.map((c) => c.name)).to.deep.equal([
      '北京一级通信有限公司',
      '上海二级网络科技有限公司',
      '北京市公安局公安交通管理局',
      '杭州某网店有限公司',
    ]);
    const [a1, a2, gov, shop] = cells;
    // One leaf under each of A1's two children: they share A1's height evenly; the shop is A2's height.
    expect([a1.height, a2.height, gov.height, shop.height]).to.deep.equal([360, 180, 180, 180]);
    expect([a2.y, shop.y]).to.deep.equal([a1.y, a1.y]);
    expect(gov.y).to.equal(a1.y + 180);
    expect(new Set([a2.x, gov.x]).size).to.equal(1);
    expect(shop.x).to.be.above(a2.x);
    expect(a2.x).to.be.above(a1.x);
    // Coloured by their own findings, with the risk below marked as in the drawing.
    expect(cells.map((c) => [c.fill, c.below])).to.deep.equal([
      [NONE, 'critical'],
      [NONE, 'critical'],
      [NONE, null],
      [CRITICAL, null],
    ]);
    expect(shop.href).to.equal(`/tree?carrier=CMCC&at=2022-03-14&q=${E_SHOP}`);
    expect(hrefs(icicleSvg(page))).to.include('/tree?carrier=CMCC&at=2022-03-14&depth=3');
    // The cell's link opens the drawing on that allocation.
    const focused = (await regulator.get(shop.href!).expect(200)).text;
    expect(box(focused, '杭州某网店有限公司')).to.match(/^<g class="node hit"/);
  });

  it('keeps the overview of a 10,000-allocation tree to a few hundred cells, every level counted and the risky cell kept', async function () {
    this.timeout(180_000);
    const big = largeTree({ allocations: 10_000, prefix: '10693' });
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(big.files)));
    // One entity number deep down has a critical finding, one sub-agent a low one.
    const leaf = 4321;
    await addFinding(ctx.dataSource, { carrier: 'CMCC', severity: 'critical', entity: big.entityOf(leaf) });
    await addFinding(ctx.dataSource, { carrier: 'CMCC', severity: 'low', agent: big.subAgent(7, 3) });
    const page = (await regulator.get('/tree?carrier=CMCC&at=2024-01-01').expect(200)).text;
    // The small dataset's CMCC tree is there too: its agent A1 is one more first-level agent.
    expect(icicleColumns(page)).to.deep.equal([
      ['第 1 级', '21 条'],
      ['第 2 级', '202 条'],
      ['第 3 级', '9781 条'],
    ]);
    const cells = icicleCells(page);
    expect(cells.length).to.be.within(200, 700);
    const critical = cells.filter((c) => c.fill === CRITICAL);
    expect(critical, 'the critical number, drawn with the thin cells around it').to.have.length(1);
    expect(critical[0].href).to.equal(`/tree?carrier=CMCC&at=2024-01-01&q=${big.entityOf(leaf)}`);
    expect(critical[0].name).to.match(/^第 3 级的 \d+ 条相邻分配/);
    const firstLevel = cells.filter((c) => c.name.startsWith('一级代理'));
    expect(firstLevel, 'every first-level agent is tall enough to be drawn alone').to.have.length(20);
    expect(firstLevel.filter((c) => c.below === 'critical').map((c) => c.name)).to.have.length(1);
  });

  it('opens on the carrier with the most allocations that day when none is asked for', async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(crossCarrierDataset())));
    const selected = (html: string) => /<option value="(\w+)" selected>/.exec(html)![1];
    // CUCC's grants to A3's customers start in 2022: it is then the larger.
    expect(selected((await regulator.get('/tree?at=2022-03-14').expect(200)).text)).to.equal('CUCC');
    expect(selected((await regulator.get('/tree?at=2021-04-01').expect(200)).text)).to.equal('CMCC');
  });

  it('ranks the cross-carrier view by open findings, worst severity first, and keeps parties with none apart', async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(crossCarrierDataset())));
    await addFinding(ctx.dataSource, { carrier: 'CMCC', severity: 'high', entity: E_LOGI });
    for (let i = 0; i < 5; i++)
      await addFinding(ctx.dataSource, { carrier: 'CUCC', severity: 'medium', entity: E_SHOP });
    // The government's critical finding was dismissed and its low ones rectified: none is open.
    await addFinding(ctx.dataSource, { carrier: 'CMCC', severity: 'critical', entity: E_GOV, status: 'dismissed' });
    await addFinding(ctx.dataSource, { carrier: 'CUCC', severity: 'low', entity: E_GOV, status: 'rectified' });
    await addFinding(ctx.dataSource, { carrier: 'CUCC', severity: 'high', agent: A3, status: 'notified' });
    const page = (await regulator.get('/tree/cross-carrier?at=2022-03-14').expect(200)).text;
    const rows = (testid: string) => {
      const start = page.indexOf(`data-testid="${testid}"`);
      const table = page.slice(start, page.indexOf('</table>', start));
      return [...table.matchAll(/<tr>\s*<td><a href="[^"]*">([^<]*)<\/a>[\s\S]*?<\/tr>/g)].map((m) => [
        m[1],
        ...[...m[0].matchAll(/<td class="num risk-cell[^"]*">(\d+)<\/td>/g)].map((c) => Number(c[1])),
      ]);
    };
    // Critical, high, medium, low.
    expect(rows('cross-parties')).to.deep.equal([
      ['杭州某物流有限公司', 0, 1, 0, 0],
      ['杭州某网店有限公司', 0, 0, 5, 0],
    ]);
    expect(page).to.include('没有未处理线索的（2 个）');
    expect(rows('cross-quiet-parties')).to.deep.equal([
      ['北京一级通信有限公司', 0, 0, 0, 0],
      ['北京市公安局公安交通管理局', 0, 0, 0, 0],
    ]);
    // A3's two CUCC segments come before A1's two across carriers: A3 has an open finding.
    expect(rows('cross-multi')).to.deep.equal([
      ['深圳无证信息技术有限公司', 0, 1, 0, 0],
      ['北京一级通信有限公司', 0, 0, 0, 0],
    ]);
  });
});
