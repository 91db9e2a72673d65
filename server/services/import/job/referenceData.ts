import type { ObjectLiteral, EntityTarget } from 'typeorm';
import { ProtectedSender, UrlListEntry } from '../../../entities/index.ts';
import type { DatasetTable } from '../../../dataset/readers.ts';
import { normaliseDomain } from '../../../numbering/domain.ts';
import { BATCH_ROWS, type ImportJob } from './core.ts';
import { splitList } from './rowReader.ts';

/**
 * The reference lists' files: protected senders and URL lists. A carrier user's import never
 * reaches here (importer.ts refuses these files under a carrier scope).
 */
export class ReferenceDataPass {
  constructor(private readonly job: ImportJob) {}

  async importProtectedSenders(table: DatasetTable): Promise<void> {
    const unique = this.job.duplicateCheck();
    const batch = this.referenceBatcher(ProtectedSender, 'name', ['uscc', 'aliases']);
    await this.job.eachRow(table, async (row) => {
      const name = row.required('name', 100);
      const uscc = row.uscc('uscc', false);
      const aliases = [...new Set(splitList(row.raw('aliases')))];
      for (const alias of aliases)
        if ([...alias].length > 100) row.issue('aliases', alias, 'cell.too_long', { max: 100 });
      if (row.bad || name === null || !unique(row, name, 'name', name)) return;
      await batch.add({ name, uscc, aliases } as ProtectedSender);
    });
    await batch.flush();
  }

  async importUrlLists(table: DatasetTable): Promise<void> {
    const unique = this.job.duplicateCheck();
    const batch = this.referenceBatcher(UrlListEntry, 'domain', ['list', 'note']);
    await this.job.eachRow(table, async (row) => {
      const raw = row.required('domain', 253);
      const domain = raw === null ? null : normaliseDomain(raw);
      if (raw !== null && domain === null) row.issue('domain', raw, 'url_list.bad_domain');
      const list = row.required('list', 5);
      if (list !== null && list !== 'allow' && list !== 'block') row.issue('list', list, 'url_list.bad_list');
      const note = row.optional('note', 500);
      if (row.bad || domain === null || !unique(row, domain, 'domain', raw!)) return;
      await batch.add({ domain, list: list as 'allow' | 'block', note } as UrlListEntry);
    });
    await batch.flush();
  }

  /**
   * Reference data is also edited in the browser under optimistic locking, so an import that
   * changes a row must bump its version (an edit form made before the import is then refused)
   * and one that changes nothing must not. These tables are small: rows are compared one by one.
   */
  private referenceBatcher<T extends ObjectLiteral>(target: EntityTarget<T>, key: string, fields: string[]) {
    const job = this.job;
    const batch = job.batcher(target, [key], fields);
    let pending: T[] = [];
    const flush = async () => {
      if (!job.writing || pending.length === 0) {
        pending = [];
        return;
      }
      const stored = await job.manager
        .getRepository(target)
        .createQueryBuilder('r')
        .where(`r.${key} IN (:...keys)`, { keys: pending.map((row) => row[key]) })
        .getMany();
      const byKey = new Map(stored.map((row) => [row[key], row]));
      for (const row of pending) {
        const current = byKey.get(row[key]);
        if (!current) await batch.add(row);
        else if (fields.some((field) => JSON.stringify(current[field]) !== JSON.stringify(row[field]))) {
          const values = Object.fromEntries(fields.map((field) => [field, row[field]]));
          await job.manager
            .createQueryBuilder()
            .update(target)
            .set({ ...values, version: () => 'version + 1' } as never)
            .where('id = :id', { id: current.id })
            .execute();
        }
      }
      await batch.flush();
      pending = [];
    };
    return {
      add: async (row: T) => {
        pending.push(row);
        if (pending.length >= BATCH_ROWS) await flush();
      },
      flush,
    };
  }
}
