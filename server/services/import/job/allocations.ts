import { Allocation } from '../../../entities/index.ts';
import type { DatasetTable } from '../../../dataset/readers.ts';
import { normaliseUscc } from '../../../numbering/uscc.ts';
import { pushTo } from '../../../util/pushTo.ts';
import { BATCH_ROWS, type ImportJob } from './core.ts';
import { withoutForeignKeyChecks } from './foreignKeyChecks.ts';
import {
  ALLOCATION_UPDATE_COLUMNS,
  allocationValues,
  FAR_FUTURE,
  findParent,
  GrantRepeats,
  readAllocation,
  type AllocationRow,
  type Holding,
} from './allocationRows.ts';

/**
 * The allocations file: each row validated against the parties known so far, linked to its
 * parent (the grant through which its holder held an enclosing prefix), and written with its
 * level and the carrier at the root of its chain.
 */
export class AllocationsPass {
  constructor(private readonly job: ImportJob) {}

  /**
   * Allocations refer to each other: a child's parent is the allocation through which its holder
   * held an enclosing prefix at the child's valid_from, and it may come later in the file. Pass 1
   * reads only the rows granted to agents (the possible parents, few), validates them, and links
   * and writes them level by level. Pass 2 streams the file again, validates every other row (the
   * grants to using entities, the bulk) and writes it with its parent known. Pass 1 looks at one
   * cell of the other rows, so the database starts writing the bulk early (docs/performance.md).
   */
  async importAllocations(table: DatasetTable): Promise<void> {
    const job = this.job;
    const badLines = new Set<number>();
    /** Every line pass 1 took as a grant to an agent, good or bad: pass 2 skips them. */
    const agentLines = new Set<number>();
    const agentRows: AllocationRow[] = [];
    const agentKeys = new Map<string, number>();
    // A lessee known as an agent makes the row pass 1's; readAllocation says the rest (a
    // lessee that is also a using entity, say, is refused there).
    const read = await job.eachRowWhere(
      table,
      'lessee',
      (lessee) => job.agents.has(normaliseUscc(lessee.trim())),
      (row) => {
        agentLines.add(row.line);
        const allocation = readAllocation(job, row);
        if (!allocation) {
          badLines.add(row.line);
          return;
        }
        const first = agentKeys.get(allocation.key);
        if (first !== undefined) {
          this.reportDuplicate(table.label, allocation, first);
          badLines.add(row.line);
          return;
        }
        agentKeys.set(allocation.key, row.line);
        agentRows.push(allocation);
      },
    );
    if (read !== 'read') {
      // A broken header or syntax has been reported, and the rows cannot be linked. The rows
      // before a syntax error are still each checked on their own, as in any other file.
      if (read === 'cut') {
        const repeats = new GrantRepeats<null>();
        await job.eachRow(
          table,
          (row) => {
            if (agentLines.has(row.line)) return;
            const allocation = readAllocation(job, row);
            if (!allocation) return;
            const first = repeats.check(allocation);
            if (first !== null) repeats.hold(allocation, first, null);
          },
          false,
        );
        await this.settleRepeats(table, repeats);
      }
      return;
    }
    const holdings = await this.loadHoldings(agentRows);
    this.linkAgentRows(table.label, agentRows, holdings, badLines);
    await this.writeAgentRows(
      agentRows.filter((r) => !badLines.has(r.line)),
      holdings,
    );
    await withoutForeignKeyChecks(job.manager, () => this.writeEntityRows(table, holdings, agentLines));
  }

  /**
   * Pass 2 of importAllocations: validates the rows that are not pass 1's and writes each with its
   * parent. Every reference in these rows (holder, lessee, parent, root carrier) is one this
   * import has just resolved against the store or written itself, in this transaction; MySQL's
   * own check of each foreign key, row by row, only repeated that work (withoutForeignKeyChecks).
   * A row that may repeat an earlier one waits until the file is read (GrantRepeats).
   */
  private async writeEntityRows(
    table: DatasetTable,
    holdings: Map<string, Holding[]>,
    agentLines: Set<number>,
  ): Promise<void> {
    const job = this.job;
    const batch = job.batcher(Allocation, ['prefix', 'lessee_uscc', 'valid_from'], ALLOCATION_UPDATE_COLUMNS);
    const repeats = new GrantRepeats<Partial<Allocation>>();
    await job.eachRow(
      table,
      (row) => {
        if (agentLines.has(row.line)) return;
        const allocation = readAllocation(job, row);
        if (!allocation) return;
        const first = repeats.check(allocation);
        let parent: Holding | null = null;
        if (allocation.holderAgent) {
          parent = findParent(holdings, allocation);
          if (!parent) {
            row.issue('prefix', allocation.prefix, 'allocation.not_within_holder', {
              holder: allocation.holderAgent,
              date: allocation.validFrom,
            });
            return;
          }
        }
        const rootCarrierId = parent ? parent.rootCarrierId! : job.carriers.get(allocation.holderCarrier!)!;
        if (parent && !this.inScope(parent.rootCarrierId)) {
          this.reportOutOfScope(table.label, allocation);
          return;
        }
        const values = allocationValues(job, allocation, parent?.id ?? null, parent?.level ?? 0, rootCarrierId);
        if (first !== null) {
          repeats.hold(allocation, first, values);
          return;
        }
        return batch.add(values);
      },
      false,
    );
    for (const values of await this.settleRepeats(table, repeats)) await batch.add(values);
    await batch.flush();
  }

  /**
   * Settles the rows held back on a hash hit: reads the lines they may repeat again (read as valid
   * rows before, so reading them again reports nothing), reports the repeats and returns the
   * others' values.
   */
  private settleRepeats<V>(table: DatasetTable, repeats: GrantRepeats<V>): Promise<V[]> {
    const job = this.job;
    return repeats.settle(
      async (lines) => {
        const keys = new Map<number, string>();
        await job.eachRow(
          table,
          (row) => {
            if (lines.has(row.line)) keys.set(row.line, readAllocation(job, row)!.key);
          },
          false,
        );
        return keys;
      },
      (allocation, first) => this.reportDuplicate(table.label, allocation, first),
    );
  }

  /** Whether a chain rooted at this carrier may be written by this import (always, unless confined to a carrier). */
  private inScope(rootCarrierId: number | null): boolean {
    return this.job.carrier === null || rootCarrierId === this.job.carrier.id;
  }

  private reportOutOfScope(label: string, row: AllocationRow): void {
    this.job.report({
      file: label,
      line: row.line,
      column: 'holder',
      value: row.holderAgent,
      code: 'scope.outside_chain',
      params: { carrier: this.job.carrier!.code },
    });
  }

  private reportDuplicate(label: string, row: AllocationRow, firstLine: number): void {
    this.job.report({
      file: label,
      line: row.line,
      column: 'prefix',
      value: row.prefix,
      code: 'row.duplicate_key',
      params: { first: firstLine },
    });
  }

  /** Every agent's holdings: those already stored, overridden by this file's rows with the same key. */
  private async loadHoldings(agentRows: AllocationRow[]): Promise<Map<string, Holding[]>> {
    const byKey = new Map<string, Holding & { holder: string }>();
    const stored = await this.job.manager
      .createQueryBuilder(Allocation, 'a')
      .select(['a.id', 'a.prefix', 'a.lesseeUscc', 'a.validFrom', 'a.validTo', 'a.level', 'a.rootCarrierId'])
      .where("a.lessee_kind = 'agent'")
      .getMany();
    for (const a of stored) {
      const key = `${a.prefix}|${a.lesseeUscc}|${a.validFrom}`;
      byKey.set(key, {
        key,
        holder: a.lesseeUscc,
        prefix: a.prefix,
        validFrom: a.validFrom,
        validTo: a.validTo ?? FAR_FUTURE,
        id: a.id,
        level: a.level,
        rootCarrierId: a.rootCarrierId,
        row: null,
      });
    }
    for (const row of agentRows) {
      const storedId = byKey.get(row.key)?.id ?? null;
      byKey.set(row.key, {
        key: row.key,
        holder: row.lesseeUscc,
        prefix: row.prefix,
        validFrom: row.validFrom,
        validTo: row.validTo ?? FAR_FUTURE,
        id: storedId,
        level: null,
        rootCarrierId: null,
        row,
      });
    }
    const holdings = new Map<string, Holding[]>();
    for (const holding of byKey.values()) pushTo(holdings, holding.holder, holding);
    return holdings;
  }

  /** Gives each agent-held row of the file its parent and level, parents first. */
  private linkAgentRows(
    label: string,
    agentRows: AllocationRow[],
    holdings: Map<string, Holding[]>,
    badLines: Set<number>,
  ): void {
    const holdingOf = new Map<string, Holding>();
    for (const list of holdings.values()) for (const h of list) if (h.row) holdingOf.set(h.key, h);
    let unresolved = agentRows.filter((r) => !badLines.has(r.line));
    for (const row of unresolved) {
      if (row.holderCarrier)
        Object.assign(holdingOf.get(row.key)!, {
          level: 1,
          parentKey: null,
          rootCarrierId: this.job.carriers.get(row.holderCarrier) ?? null,
        });
    }
    unresolved = unresolved.filter((r) => !r.holderCarrier);
    let progressed = true;
    while (unresolved.length && progressed) {
      progressed = false;
      const waiting: AllocationRow[] = [];
      for (const row of unresolved) {
        const parent = findParent(holdings, row);
        if (!parent) {
          badLines.add(row.line);
          this.job.report({
            file: label,
            line: row.line,
            column: 'prefix',
            value: row.prefix,
            code: 'allocation.not_within_holder',
            params: { holder: row.holderAgent!, date: row.validFrom },
          });
          progressed = true;
        } else if (parent.level !== null && (parent.row === null || !badLines.has(parent.row.line))) {
          Object.assign(holdingOf.get(row.key)!, {
            level: parent.level + 1,
            parentKey: parent.key,
            rootCarrierId: parent.rootCarrierId,
          });
          if (!this.inScope(parent.rootCarrierId)) {
            badLines.add(row.line);
            this.reportOutOfScope(label, row);
          }
          progressed = true;
        } else if (parent.row && badLines.has(parent.row.line)) {
          // Its parent is itself refused: that report names the cause; do not pile on.
          badLines.add(row.line);
          progressed = true;
        } else {
          waiting.push(row);
        }
      }
      unresolved = waiting;
    }
    for (const row of unresolved) {
      badLines.add(row.line);
      this.job.report({
        file: label,
        line: row.line,
        column: 'holder',
        value: row.holderAgent,
        code: 'allocation.cycle',
      });
    }
  }

  private async writeAgentRows(rows: AllocationRow[], holdings: Map<string, Holding[]>): Promise<void> {
    const job = this.job;
    if (!job.writing || rows.length === 0) return;
    const byKey = new Map<string, Holding>();
    for (const list of holdings.values()) for (const h of list) byKey.set(h.key, h);
    const levels = [...new Set(rows.map((r) => byKey.get(r.key)!.level!))].sort((a, b) => a - b);
    for (const level of levels) {
      const atLevel = rows.filter((r) => byKey.get(r.key)!.level === level);
      for (let i = 0; i < atLevel.length; i += BATCH_ROWS) {
        const chunk = atLevel.slice(i, i + BATCH_ROWS);
        const values = chunk.map((r) => {
          const holding = byKey.get(r.key)!;
          const parentId = holding.parentKey ? byKey.get(holding.parentKey)!.id : null;
          return allocationValues(job, r, parentId, level, holding.rootCarrierId!);
        });
        await job.manager
          .createQueryBuilder()
          .insert()
          .into(Allocation)
          .values(values)
          .orUpdate(ALLOCATION_UPDATE_COLUMNS, ['prefix', 'lessee_uscc', 'valid_from'])
          .updateEntity(false)
          .execute();
        const prefixes = [...new Set(chunk.map((r) => r.prefix))];
        const written = await job.manager
          .createQueryBuilder(Allocation, 'a')
          .select(['a.id', 'a.prefix', 'a.lesseeUscc', 'a.validFrom'])
          .where('a.prefix IN (:...prefixes)', { prefixes })
          .getMany();
        for (const a of written) {
          const holding = byKey.get(`${a.prefix}|${a.lesseeUscc}|${a.validFrom}`);
          if (holding) holding.id = a.id;
        }
      }
    }
  }
}
