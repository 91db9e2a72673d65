import { hierarchy, partition, type HierarchyRectangularNode } from 'd3-hierarchy';
import { NO_FINDING, type Rank, type TreeNode } from './tree.ts';

// Issue 23, "Hierarchy for regulators, at a glance": the whole of a carrier's tree as an icicle
// (d3-hierarchy's partition), one column per level, each allocation as tall as the allocations at
// the bottom of its branch. A tree of 10,000 allocations has cells far thinner than a pixel at the
// bottom: neighbouring thin cells of a column are drawn as one cell, coloured by the worst
// finding among them, so the drawing stays a few hundred rectangles whatever the tree's size.

/** One rectangle of the icicle: an allocation, or neighbouring allocations too thin to draw apart. */
export interface IcicleCell {
  /** The tree's depth: 1 for the carrier's own grants (the allocation's level). */
  depth: number;
  /** Its extent along the column, in user units from the top of the body. */
  y0: number;
  y1: number;
  /** Allocations the cell stands for (1: `lead` alone), their descendants not counted. */
  count: number;
  /** The worst open finding on those allocations themselves. */
  worst: Rank;
  /** The worst open finding below them, when the cell is one allocation drawn alone. */
  belowWorst: Rank;
  /** The allocation drawn, or of several the one with the worst finding (the first of them on a tie). */
  lead: TreeNode;
}

export interface IcicleColumn {
  depth: number;
  /** Allocations at this depth. */
  allocations: number;
  worst: Rank;
}

export interface IcicleLayout {
  columns: IcicleColumn[];
  cells: IcicleCell[];
  /** The body's height, in user units. */
  height: number;
}

export interface IcicleOptions {
  /** The body's height in user units: the whole tree is fitted into it. */
  height: number;
  /** A cell thinner than this is drawn together with its thin neighbours, up to about this size. */
  minCell: number;
}

export const DEFAULT_ICICLE: IcicleOptions = { height: 360, minCell: 3 };

/**
 * The icicle of a tree under its top (the carrier, which is not drawn: every column is a level
 * of allocations). Siblings keep the tree's order (by prefix), so the icicle reads top to bottom
 * as the drawing does. Null when the top has nothing below it.
 */
export function icicleLayout(top: TreeNode, options: IcicleOptions = DEFAULT_ICICLE): IcicleLayout | null {
  if (top.children.length === 0) return null;
  // Each branch is as tall as the allocations at its bottom: a first-level agent with 500 numbers
  // below it gets 500 times the room of one with a single number.
  const root = hierarchy(top, (node) => node.children).count();
  const laid = partition<TreeNode>().size([options.height, root.height + 1])(root);
  const byDepth: Array<Array<HierarchyRectangularNode<TreeNode>>> = Array.from({ length: root.height + 1 }, () => []);
  // Breadth first: within a depth, from the top of the column down.
  for (const node of laid.descendants()) byDepth[node.depth].push(node);

  const cells: IcicleCell[] = [];
  const columns: IcicleColumn[] = [];
  for (let depth = 1; depth < byDepth.length; depth++) {
    const column: IcicleColumn = { depth, allocations: byDepth[depth].length, worst: NO_FINDING };
    columns.push(column);
    let group: IcicleCell | null = null;
    const close = () => {
      if (group) cells.push(group);
      group = null;
    };
    for (const node of byDepth[depth]) {
      const { data } = node;
      column.worst = Math.max(column.worst, data.worst);
      const single: IcicleCell = {
        depth,
        y0: node.x0,
        y1: node.x1,
        count: 1,
        worst: data.worst,
        belowWorst: data.belowWorst,
        lead: data,
      };
      if (node.x1 - node.x0 >= options.minCell) {
        close();
        cells.push(single);
        continue;
      }
      // Thin: joins the thin cells just above it, unless there is a gap (a shorter branch) between
      // them or the group is already big enough to be seen on its own.
      const current: IcicleCell | null = group;
      if (current && Math.abs(current.y1 - node.x0) < 1e-9 && current.y1 - current.y0 < options.minCell) {
        current.y1 = node.x1;
        current.count++;
        current.belowWorst = NO_FINDING;
        if (data.worst > current.worst) {
          current.worst = data.worst;
          current.lead = data;
        }
      } else {
        close();
        group = single;
      }
    }
    close();
  }
  return { columns, cells, height: options.height };
}
