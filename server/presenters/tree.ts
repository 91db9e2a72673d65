import { t, type Locale } from '../i18n/index.ts';
import {
  LAYOUT,
  severityOfRank,
  type Rank,
  type TreeLayout,
  type TreeNode,
  type VisibleNode,
} from '../services/tree/tree.ts';
import type { IcicleLayout } from '../services/tree/icicle.ts';
import { partyUrl } from './parties.ts';

// View models for the tree drawing (views/partials/tree-svg.hbs) and its text alternative
// (views/partials/tree-list-item.hbs). Colours and dashes are SVG presentation attributes, not
// style attributes, so the drawing looks the same inline (the CSP forbids inline styles) and as a
// downloaded file with no stylesheet.

interface Palette {
  fill: string;
  stroke: string;
  text: string;
}

const PALETTE: Record<string, Palette> = {
  none: { fill: '#ffffff', stroke: '#8a94a6', text: '#1d2433' },
  low: { fill: '#eef1f6', stroke: '#5b6475', text: '#1d2433' },
  medium: { fill: '#fff4db', stroke: '#c99a1e', text: '#1d2433' },
  high: { fill: '#f9d5d1', stroke: '#c0392b', text: '#5a130e' },
  critical: { fill: '#7a1a14', stroke: '#4a0d09', text: '#ffffff' },
  carrier: { fill: '#20293a', stroke: '#20293a', text: '#ffffff' },
};
const HIGHLIGHT = '#1f4fb3';
/** What the icicle's columns sit on, so that a cell with no finding (white) stands out from it. */
const ICICLE_GROUND = '#e3e7ee';
const LINK = '#9aa3b2';
const DASH = '7 4';

const LABEL_CHARS = 17;

/** Long names are cut for the box; the full name is in the node's tooltip and in the list. */
function fit(text: string, chars = LABEL_CHARS): string {
  const characters = [...text];
  return characters.length <= chars ? text : `${characters.slice(0, chars - 1).join('')}…`;
}

const round = (n: number) => Math.round(n * 10) / 10;

export interface TreeLinks {
  /** The page of a node's party (or of the holder, for "+N more"). */
  partyUrl(node: TreeNode): string;
  /** The tree with this allocation's open/shut flipped; null when drawing for export. */
  toggleUrl(id: number): string | null;
}

function severityView(rank: Rank, locale: Locale) {
  const severity = severityOfRank(rank);
  return severity ? { severity, text: t(locale, `severity.${severity}`) } : null;
}

function countsText(locale: Locale, c: { numbers: number; messages: number; complaints: number }): string {
  return t(locale, 'tree.counts', { numbers: c.numbers, messages: c.messages, complaints: c.complaints });
}

function kindText(node: TreeNode, locale: Locale): string {
  return t(locale, `tree.kind.${node.party.kind}`);
}

/** "第 2 级 · 106901234501", or for the top its kind and the date. */
function secondLine(node: TreeNode, locale: Locale, date: string): string {
  if (!node.allocation) return `${kindText(node, locale)} · ${date}`;
  const level =
    node.party.kind === 'agent' ? t(locale, 'browse.level', { level: node.allocation.level }) : kindText(node, locale);
  return `${level} · ${node.allocation.prefix}`;
}

/** What a node says when pointed at, in full: name, USCC, prefix, level, counts, worst finding. */
function tooltip(node: TreeNode, locale: Locale, date: string): string {
  const parts = [`${node.party.name} (${node.party.key})`, secondLine(node, locale, date), countsText(locale, node)];
  if (node.allocation && !node.allocation.declared) parts.push(t(locale, 'tree.undeclared'));
  const worst = severityView(node.worst, locale);
  if (worst) parts.push(t(locale, 'tree.worst_finding', { severity: worst.text }));
  const below = belowView(node.worst, node.belowWorst, locale);
  if (below) parts.push(below.text);
  return parts.join('\n');
}

/**
 * Findings below a node that are worse than its own, shown apart from its colour (a hatched strip
 * in their severity's colour): a first-level agent is not painted red for what an entity three
 * levels down did, yet the way to it stays marked. Null when nothing below is worse.
 */
function belowView(own: Rank, below: Rank, locale: Locale) {
  const severity = below > own ? severityOfRank(below) : null;
  return severity
    ? { severity, text: t(locale, 'tree.risk_below', { severity: t(locale, `severity.${severity}`) }) }
    : null;
}

/** The hatched fills of the "risk below" strips, one per severity, with ids unique to one drawing. */
function belowPatterns(prefix: string) {
  return (['low', 'medium', 'high', 'critical'] as const).map((severity) => ({
    id: `${prefix}-below-${severity}`,
    stripe: PALETTE[severity].stroke,
  }));
}

/** The strip along a box's right edge that says "worse below", or null. */
function belowStrip(prefix: string, own: Rank, below: Rank, box: { x: number; y: number; w: number; h: number }) {
  const severity = below > own ? severityOfRank(below) : null;
  if (!severity || box.h < 4) return null;
  const width = Math.min(10, Math.max(3, box.w / 8));
  const inset = box.h >= 12 ? 3 : 0;
  return {
    x: round(box.x + box.w - width - inset),
    y: round(box.y + inset),
    w: round(width),
    h: round(box.h - 2 * inset),
    fill: `url(#${prefix}-below-${severity})`,
    stroke: PALETTE[severity].stroke,
  };
}

function moreText(visible: VisibleNode, locale: Locale): string {
  return t(locale, 'tree.more', { count: visible.more!.count });
}

function moreTooltip(visible: VisibleNode, locale: Locale): string {
  const more = visible.more!;
  const parts = [moreText(visible, locale), countsText(locale, more)];
  const worst = severityView(more.worst, locale);
  if (worst) parts.push(t(locale, 'tree.worst_finding', { severity: worst.text }));
  const below = belowView(more.worst, more.belowWorst, locale);
  if (below) parts.push(below.text);
  return parts.join('\n');
}

/** The SVG drawing's view model. */
export function treeSvgView(
  layout: TreeLayout,
  options: { locale: Locale; date: string; title: string; links: TreeLinks; interactive: boolean },
) {
  const { locale, date, links } = options;
  // Under an agent's own box (the profile's drawing of several holdings) its ranges are named by prefix.
  const top = layout.nodes[0]?.visible.node;
  const isTopAgain = (node: TreeNode) =>
    top !== undefined &&
    top !== null &&
    node !== top &&
    node.party.kind === top.party.kind &&
    node.party.key === top.party.key;
  const nodes = layout.nodes.map(({ visible, x, y }) => {
    const node = visible.node;
    const rank = node ? node.worst : visible.more!.worst;
    const palette =
      node && node.id === null && node.party.kind === 'carrier'
        ? PALETTE.carrier
        : PALETTE[severityOfRank(rank) ?? 'none'];
    const undeclared = node?.allocation ? !node.allocation.declared : false;
    const toggleHref = options.interactive && node?.id != null && visible.togglable ? links.toggleUrl(node.id) : null;
    const counts = node ?? visible.more!;
    const box = { x: round(x), y: round(y), w: LAYOUT.nodeWidth, h: LAYOUT.nodeHeight };
    return {
      key: visible.key,
      x: round(x),
      y: round(y),
      w: LAYOUT.nodeWidth,
      h: LAYOUT.nodeHeight,
      fill: palette.fill,
      textFill: palette.text,
      stroke: visible.hit ? HIGHLIGHT : palette.stroke,
      strokeWidth: visible.hit ? 4 : visible.onPath ? 2.5 : 1.2,
      dash: undeclared ? DASH : null,
      href: options.interactive ? (node ? links.partyUrl(node) : links.partyUrl(visible.more!.parent)) : null,
      title: node ? tooltip(node, locale, date) : moreTooltip(visible, locale),
      line1: node
        ? isTopAgain(node)
          ? t(locale, 'tree.held_range', { prefix: node.allocation!.prefix })
          : fit(node.party.name)
        : moreText(visible, locale),
      line2: node ? fit(secondLine(node, locale, date), 30) : t(locale, 'tree.more_hint'),
      line3: countsText(locale, counts),
      tx: round(x + 8),
      ty1: round(y + 16),
      ty2: round(y + 30),
      ty3: round(y + 43),
      hit: visible.hit,
      onPath: visible.onPath && !visible.hit,
      collapsed: visible.open === false,
      below: belowStrip('tree', rank, node ? node.belowWorst : visible.more!.belowWorst, box),
      toggle:
        visible.open === null || !node
          ? null
          : {
              cx: round(x + LAYOUT.nodeWidth + 13),
              cy: round(y + LAYOUT.nodeHeight / 2),
              r: 10,
              tx: round(x + LAYOUT.nodeWidth + 13),
              ty: round(y + LAYOUT.nodeHeight / 2 + 5),
              symbol: visible.open ? '−' : '+',
              href: toggleHref,
              label: visible.open
                ? t(locale, 'tree.collapse')
                : t(locale, 'tree.expand_hidden', { count: visible.hidden }),
            },
    };
  });
  const edges = layout.links.map(({ child, x1, y1, x2, y2 }) => {
    const middle = round((x1 + x2) / 2);
    const onPath = child.onPath;
    return {
      d: `M${round(x1)},${round(y1)} C${middle},${round(y1)} ${middle},${round(y2)} ${round(x2)},${round(y2)}`,
      stroke: onPath ? HIGHLIGHT : LINK,
      strokeWidth: onPath ? 2.5 : 1.4,
      dash: child.node?.allocation && !child.node.allocation.declared ? DASH : null,
    };
  });
  return {
    width: Math.ceil(layout.width),
    height: Math.ceil(layout.height),
    // The export scales width and height for a PNG; the drawing's own coordinates stay.
    viewBoxWidth: Math.ceil(layout.width),
    viewBoxHeight: Math.ceil(layout.height),
    title: options.title,
    description: t(locale, 'tree.svg_description'),
    interactive: options.interactive,
    patterns: belowPatterns('tree'),
    nodes,
    edges,
  };
}

export interface ListItemView {
  key: string;
  name: string;
  url: string;
  uscc: string | null;
  kindText: string;
  prefix: string | null;
  levelText: string | null;
  validity: string | null;
  counts: string;
  worst: { severity: string; text: string } | null;
  below: { severity: string; text: string } | null;
  undeclared: boolean;
  hit: boolean;
  toggle: { href: string; text: string } | null;
  hiddenText: string | null;
  more: boolean;
  children: ListItemView[];
}

/** The same tree as a nested list: the drawing's text alternative, with the same links and toggles. */
export function treeListView(top: VisibleNode, locale: Locale, links: TreeLinks): ListItemView {
  const item = (visible: VisibleNode): ListItemView => {
    const node = visible.node;
    if (!node) {
      const more = visible.more!;
      return {
        key: visible.key,
        name: moreText(visible, locale),
        url: links.partyUrl(more.parent),
        uscc: null,
        kindText: t(locale, 'tree.more_hint'),
        prefix: null,
        levelText: null,
        validity: null,
        counts: countsText(locale, more),
        worst: severityView(more.worst, locale),
        below: belowView(more.worst, more.belowWorst, locale),
        undeclared: false,
        hit: false,
        toggle: null,
        hiddenText: null,
        more: true,
        children: [],
      };
    }
    const a = node.allocation;
    const toggleHref = node.id !== null && visible.togglable ? links.toggleUrl(node.id) : null;
    return {
      key: visible.key,
      name: node.party.name,
      url: links.partyUrl(node),
      uscc: node.party.kind === 'carrier' ? null : node.party.key,
      kindText: kindText(node, locale),
      prefix: a?.prefix ?? null,
      levelText: a ? t(locale, 'browse.level', { level: a.level }) : null,
      validity: a
        ? a.validTo === null
          ? t(locale, 'browse.valid_open', { from: a.validFrom })
          : t(locale, 'browse.valid_range', { from: a.validFrom, to: a.validTo })
        : null,
      counts: countsText(locale, node),
      worst: severityView(node.worst, locale),
      below: belowView(node.worst, node.belowWorst, locale),
      undeclared: a ? !a.declared : false,
      hit: visible.hit,
      toggle:
        toggleHref === null || visible.open === null
          ? null
          : {
              href: toggleHref,
              text: visible.open
                ? t(locale, 'tree.collapse')
                : t(locale, 'tree.expand_hidden', { count: visible.hidden }),
            },
      hiddenText:
        visible.open === false && toggleHref === null ? t(locale, 'tree.hidden', { count: visible.hidden }) : null,
      more: false,
      children: visible.children.map(item),
    };
  };
  return item(top);
}

/** The page of a node's party: the carrier, agent or entity. */
export function nodePartyUrl(node: TreeNode): string {
  return partyUrl(node.party);
}

/** The icicle's frame in SVG user units: its width, the column headings' height, the body below. */
export const ICICLE = { width: 360, header: 40, labelMin: 15, fontSize: 11 };

export interface IcicleLinks {
  /** The tree focused on this allocation (searched for, so its path is opened and marked). */
  focusUrl(node: TreeNode): string;
  /** The tree with this many levels open, or null where none can be opened that deep. */
  depthUrl(depth: number): string | null;
}

/** The overview's view model (views/partials/tree-icicle.hbs): columns, cells and their links. */
export function icicleView(
  layout: IcicleLayout,
  options: { locale: Locale; date: string; title: string; links: IcicleLinks; interactive: boolean },
) {
  const { locale, links } = options;
  const columnWidth = ICICLE.width / layout.columns.length;
  const columns = layout.columns.map((column) => {
    const x = (column.depth - 1) * columnWidth;
    const worst = severityView(column.worst, locale);
    return {
      x: round(x + 4),
      ty1: 16,
      ty2: 32,
      label: t(locale, 'browse.level', { level: column.depth }),
      count: t(locale, 'tree.icicle_count', { count: column.allocations }),
      title: [
        t(locale, 'tree.icicle_column', { level: column.depth, count: column.allocations }),
        worst ? t(locale, 'tree.worst_finding', { severity: worst.text }) : t(locale, 'tree.no_finding'),
      ].join('\n'),
      href: options.interactive ? links.depthUrl(column.depth) : null,
    };
  });
  const labelChars = Math.floor((columnWidth - 10) / ICICLE.fontSize);
  const cells = layout.cells.map((cell) => {
    const box = {
      x: round((cell.depth - 1) * columnWidth + 1),
      y: round(ICICLE.header + cell.y0),
      w: round(columnWidth - 2),
      h: Math.max(0.5, round(cell.y1 - cell.y0)),
    };
    const palette = PALETTE[severityOfRank(cell.worst) ?? 'none'];
    const node = cell.lead;
    const worst = severityView(cell.worst, locale);
    const title =
      cell.count === 1
        ? tooltip(node, locale, options.date)
        : [
            t(locale, 'tree.icicle_group', { count: cell.count, level: cell.depth }),
            worst ? t(locale, 'tree.worst_finding', { severity: worst.text }) : t(locale, 'tree.no_finding'),
            t(locale, 'tree.icicle_group_lead', { name: node.party.name }),
          ].join('\n');
    const below = belowStrip('icicle', cell.worst, cell.belowWorst, box);
    // A name stops short of the strip.
    const chars = below ? labelChars - 1 : labelChars;
    const label = cell.count === 1 && box.h >= ICICLE.labelMin && chars > 0 ? fit(node.party.name, chars) : null;
    return {
      ...box,
      fill: palette.fill,
      stroke: box.h >= 4 ? palette.stroke : 'none',
      textFill: palette.text,
      title,
      href: options.interactive ? links.focusUrl(node) : null,
      label,
      tx: round(box.x + 4),
      ty: round(box.y + box.h / 2 + 4),
      below,
    };
  });
  return {
    width: ICICLE.width,
    height: Math.ceil(ICICLE.header + layout.height),
    ground: ICICLE_GROUND,
    bodyY: ICICLE.header,
    bodyHeight: layout.height,
    title: options.title,
    description: t(locale, 'tree.icicle_description'),
    patterns: belowPatterns('icicle'),
    columns,
    cells,
  };
}
