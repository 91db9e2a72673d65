import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { csvRecord } from '../dataset/csvWriter.ts';
import { t, type Locale } from '../i18n/index.ts';
import { shanghaiDate } from '../numbering/time.ts';
import { crossCarrierReport, hasRisk, type RiskCounts } from '../services/tree/crossCarrier.ts';
import { SEVERITIES } from '../entities/Finding.ts';
import { scopeOf } from '../services/accounts/scope.ts';
import {
  allocationsIn,
  carrierTree,
  DEFAULT_VISIBLE,
  drawCarrierTree,
  TREE_CSV_COLUMNS,
  treeCsvRows,
  type TreeDrawing,
  type TreeRequest,
  type TreeSearch,
} from '../services/tree/tree.ts';
import { svgToPng } from '../services/tree/treePng.ts';
import { icicleLayout } from '../services/tree/icicle.ts';
import {
  icicleView,
  nodePartyUrl,
  treeListView,
  treeSvgView,
  type IcicleLinks,
  type TreeLinks,
} from '../presenters/tree.ts';
import { partyUrl } from '../presenters/parties.ts';
import { param, readQuery } from './query.ts';

export const MAX_DEPTH = 8;
export const DEFAULT_DEPTH = 2;
const STYLESHEETS = ['/static/tree.css'];
// Zoom and pan for the drawing (public/tree.js): a file of our own origin, as the CSP allows.
const SCRIPTS = ['/static/tree.js'];

const treeQuery = z.object({
  carrier: param.text(16),
  // Blank: today.
  at: param.day(),
  depth: param.wholeNumber(1, MAX_DEPTH),
  // Allocation ids whose open/shut state the user flipped, comma-separated (the toggle links build it).
  toggle: param.idList(2000),
  q: param.text(100),
});

/** The tree request a query asks for, validated; today (Beijing) when no date is given. */
export function parseTreeQuery(req: Pick<Request, 'query' | 'locale'>): TreeRequest {
  const q = readQuery(req, treeQuery);
  return {
    carrier: q.carrier?.trim() || null,
    date: q.at ?? shanghaiDate(new Date()),
    depth: q.depth ?? DEFAULT_DEPTH,
    toggled: new Set(
      (q.toggle ?? '')
        .split(',')
        .filter((id) => id !== '')
        .map(Number),
    ),
    q: q.q ?? '',
  };
}

/** The address of a view of the tree with these settings; defaults are left out. */
function treeUrl(
  path: string,
  request: TreeRequest,
  carrier: string | null,
  toggled: ReadonlySet<number> = request.toggled,
): string {
  const params = new URLSearchParams();
  if (carrier) params.set('carrier', carrier);
  params.set('at', request.date);
  if (request.depth !== DEFAULT_DEPTH) params.set('depth', String(request.depth));
  if (request.q.trim() !== '') params.set('q', request.q.trim());
  if (toggled.size > 0) params.set('toggle', [...toggled].sort((a, b) => a - b).join(','));
  return `${path}?${params.toString()}`;
}

function treeLinks(request: TreeRequest, carrier: string | null): TreeLinks {
  return {
    partyUrl: nodePartyUrl,
    toggleUrl: (id) => {
      const toggled = new Set(request.toggled);
      if (toggled.has(id)) toggled.delete(id);
      else toggled.add(id);
      return treeUrl('/tree', request, carrier, toggled);
    },
  };
}

function icicleLinks(request: TreeRequest, carrier: string): IcicleLinks {
  const plain = { ...request, toggled: new Set<number>() };
  return {
    focusUrl: (node) => treeUrl('/tree', { ...plain, q: node.party.key }, carrier),
    depthUrl: (depth) => (depth <= MAX_DEPTH ? treeUrl('/tree', { ...plain, depth }, carrier) : null),
  };
}

function searchView(search: TreeSearch | null, request: TreeRequest, locale: Locale) {
  if (!search) return null;
  if (search.kind === 'number') {
    if (search.found) {
      const leaf = search.chain[search.chain.length - 1];
      return {
        ok: true,
        message: t(locale, 'tree.search_number_found', {
          number: search.number,
          date: request.date,
          name: leaf.lessee.name,
          prefix: leaf.prefix,
        }),
        carrierUrl: null,
      };
    }
    if (search.carrier) {
      return {
        ok: false,
        message: t(locale, 'tree.search_number_elsewhere', {
          number: search.number,
          date: request.date,
          carrier: search.carrier.name,
        }),
        carrierUrl: treeUrl('/tree', { ...request, toggled: new Set() }, search.carrier.code),
      };
    }
    return {
      ok: false,
      message: t(locale, 'tree.search_number_none', { number: search.number, date: request.date }),
      carrierUrl: null,
    };
  }
  if (search.hits === 0)
    return {
      ok: false,
      message: t(locale, 'tree.search_none', { q: search.text, date: request.date }),
      carrierUrl: null,
    };
  const capped = search.held < search.hits ? t(locale, 'tree.search_capped', { held: search.held }) : '';
  return {
    ok: true,
    message: `${t(locale, 'tree.search_hits', { q: search.text, hits: search.hits })}${capped}`,
    carrierUrl: null,
  };
}

async function drawing(req: Request, context: AppContext): Promise<{ request: TreeRequest; tree: TreeDrawing }> {
  const request = parseTreeQuery(req);
  return { request, tree: await drawCarrierTree(context.dataSource, scopeOf(req.principal), request) };
}

function svgModel(tree: TreeDrawing, request: TreeRequest, locale: Locale, interactive: boolean) {
  const carrier = tree.carrier!;
  return treeSvgView(tree.layout!, {
    locale,
    date: request.date,
    interactive,
    links: treeLinks(request, carrier.code),
    title: t(locale, 'tree.svg_title', { carrier: carrier.name, date: request.date }),
  });
}

/** The overview of the carrier's whole tree, whatever is open in the drawing; null for an empty tree. */
function icicleOf(tree: TreeDrawing, request: TreeRequest, locale: Locale) {
  const layout = icicleLayout(tree.root!);
  if (!layout) return null;
  const carrier = tree.carrier!;
  return icicleView(layout, {
    locale,
    date: request.date,
    interactive: true,
    links: icicleLinks(request, carrier.code),
    title: t(locale, 'tree.icicle_title', { carrier: carrier.name, date: request.date }),
  });
}

/** GET /tree — a carrier's allocations on a day as a tree, with search, collapse and exports. */
export async function getTree(req: Request, res: Response, context: AppContext): Promise<void> {
  const { request, tree } = await drawing(req, context);
  const locale = req.locale;
  const carrier = tree.carrier;
  const model: Record<string, unknown> = {
    title: t(locale, 'tree.title'),
    section: 'tree',
    stylesheets: STYLESHEETS,
    wide: true,
    form: { at: request.date, q: request.q },
    carriers: tree.carriers.map((c) => ({ code: c.code, name: c.name, selected: c.id === carrier?.id })),
    depths: Array.from({ length: MAX_DEPTH }, (_, i) => ({
      value: i + 1,
      label: t(locale, 'tree.depth_option', { depth: i + 1 }),
      selected: i + 1 === request.depth,
    })),
    search: searchView(tree.search, request, locale),
    carrier: carrier ? { code: carrier.code, name: carrier.name } : null,
  };
  if (carrier && tree.root && tree.visible) {
    const links = treeLinks(request, carrier.code);
    Object.assign(model, {
      summary: t(locale, 'tree.summary', {
        carrier: carrier.name,
        date: request.date,
        total: allocationsIn(tree.root),
        numbers: tree.root.numbers,
        drawn: tree.visible.allocationsDrawn,
      }),
      budgetHit: tree.visible.budgetHit,
      scripts: SCRIPTS,
      hasHits: tree.hits.size > 0,
      maxNodes: DEFAULT_VISIBLE.maxNodes,
      empty: tree.root.children.length === 0,
      svg: svgModel(tree, request, locale, true),
      list: treeListView(tree.visible.top, locale, links),
      icicle: icicleOf(tree, request, locale),
      legend: ['critical', 'high', 'medium', 'low']
        .map((key) => ({ key, text: t(locale, `severity.${key}`) }))
        .concat([{ key: 'none', text: t(locale, 'tree.legend_none') }]),
      exports: {
        csv: treeUrl('/tree/export.csv', { ...request, q: '', toggled: new Set() }, carrier.code),
        svg: treeUrl('/tree/export.svg', request, carrier.code),
        png: treeUrl('/tree/export.png', request, carrier.code),
      },
      crossCarrierUrl: req.principal?.role === 'carrier' ? null : `/tree/cross-carrier?at=${request.date}`,
    });
  }
  res.page('tree/show', model);
}

/** `tree-CMCC-2023-08-01.svg`: the carrier code is shown as given but kept to safe characters. */
function exportName(carrier: string, date: string, extension: string): string {
  return `tree-${carrier.replace(/[^A-Za-z0-9_-]/g, '_')}-${date}.${extension}`;
}

/** The drawing as a standalone SVG file, as the page draws it (same collapse and search). */
function standaloneSvg(
  tree: TreeDrawing,
  request: TreeRequest,
  locale: Locale,
  context: AppContext,
  scale = 1,
): string {
  const svg = svgModel(tree, request, locale, false);
  return context.views.render(
    'tree/export-svg',
    { locale, svg: { ...svg, width: Math.ceil(svg.width * scale), height: Math.ceil(svg.height * scale) } },
    'bare',
  );
}

/** GET /tree/export.svg — the drawing as an SVG file. */
export async function getTreeSvg(req: Request, res: Response, context: AppContext): Promise<void> {
  const { request, tree } = await drawing(req, context);
  if (!tree.carrier || !tree.layout) throw new HttpError(404, 'error.not_found');
  res
    .attachment(exportName(tree.carrier.code, request.date, 'svg'))
    .type('image/svg+xml')
    .send(standaloneSvg(tree, request, req.locale, context));
}

/** The largest side of an exported PNG, in pixels: Chromium cannot capture much more in one screenshot. */
const PNG_MAX_SIDE = 8000;

/** GET /tree/export.png — the same drawing rasterised by the system's Chromium, when there is one. */
export async function getTreePng(req: Request, res: Response, context: AppContext): Promise<void> {
  const { request, tree } = await drawing(req, context);
  if (!tree.carrier || !tree.layout) throw new HttpError(404, 'error.not_found');
  const scale = Math.min(1, PNG_MAX_SIDE / Math.max(tree.layout.width, tree.layout.height));
  const width = Math.ceil(tree.layout.width * scale);
  const height = Math.ceil(tree.layout.height * scale);
  const png = await svgToPng(context.renderer, standaloneSvg(tree, request, req.locale, context, scale), width, height);
  res
    .attachment(exportName(tree.carrier.code, request.date, 'png'))
    .type('image/png')
    .send(png);
}

/** GET /tree/export.csv — every allocation in the carrier's tree on the day, one row each with its level and path. */
export async function getTreeCsv(req: Request, res: Response, context: AppContext): Promise<void> {
  const request = parseTreeQuery(req);
  const tree = await carrierTree(context.dataSource, scopeOf(req.principal), { ...request, q: '' });
  if (!tree.carrier || !tree.root) throw new HttpError(404, 'error.not_found');
  // The byte-order mark makes Excel read the file as UTF-8 rather than the system code page.
  // A download is opened in a spreadsheet: formula-like cells are always neutralised.
  const csv = { safeForExcel: true, lineEnd: '\r\n' } as const;
  const lines = ['\uFEFF' + csvRecord([...TREE_CSV_COLUMNS], csv)];
  for (const row of treeCsvRows(tree.root)) lines.push(csvRecord(row, csv));
  res
    .attachment(exportName(tree.carrier.code, request.date, 'csv'))
    .type('text/csv; charset=utf-8')
    .send(lines.join(''));
}

const crossQuery = z.object({ at: param.day() });

/** The risk columns, the worst severity first; a zero is shown plain. */
function riskColumns(risk: RiskCounts) {
  return [...SEVERITIES].reverse().map((severity) => ({ severity, count: risk[severity] }));
}

/**
 * GET /tree/cross-carrier — parties under several carriers, first-level agents with several segments (regulators and
 * administrators), each with its open findings by severity, the riskiest first.
 */
export async function getCrossCarrier(req: Request, res: Response, context: AppContext): Promise<void> {
  const date = readQuery(req, crossQuery).at ?? shanghaiDate(new Date());
  const report = await crossCarrierReport(context.dataSource, scopeOf(req.principal), date);
  const locale = req.locale;
  const treeOf = (code: string, key: string) =>
    `/tree?carrier=${encodeURIComponent(code)}&at=${date}&q=${encodeURIComponent(key)}`;
  const parties = report.parties.map((p) => ({
    name: p.party.name,
    key: p.party.key,
    url: partyUrl(p.party),
    kindText: t(locale, `tree.kind.${p.party.kind}`),
    risky: hasRisk(p.risk),
    risk: riskColumns(p.risk),
    carriers: p.carriers.map((c) => ({
      name: c.name,
      code: c.code,
      allocations: c.allocations,
      treeUrl: treeOf(c.code, p.party.key),
    })),
  }));
  const severities = [...SEVERITIES].reverse().map((severity) => ({
    severity,
    text: t(locale, `severity.${severity}`),
  }));
  res.page('tree/cross-carrier', {
    title: t(locale, 'cross.title'),
    section: 'tree',
    stylesheets: STYLESHEETS,
    form: { at: date },
    severities,
    partiesTotal: parties.length,
    riskyParties: parties.filter((p) => p.risky),
    quietParties: parties.filter((p) => !p.risky),
    multiSegment: report.multiSegmentAgents.map((a) => ({
      name: a.agent.name,
      key: a.agent.key,
      url: partyUrl(a.agent),
      crossCarrier: a.crossCarrier,
      risk: riskColumns(a.risk),
      segments: a.segments.map((s) => ({
        prefix: s.prefix,
        carrier: s.carrier.name,
        treeUrl: treeOf(s.carrier.code, a.agent.key),
        validity:
          s.validTo === null
            ? t(locale, 'browse.valid_open', { from: s.validFrom })
            : t(locale, 'browse.valid_range', { from: s.validFrom, to: s.validTo }),
      })),
    })),
  });
}
