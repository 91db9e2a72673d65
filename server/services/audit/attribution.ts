import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { chainAt, type AllocationIndex } from '../../chain/allocationIndex.ts';
import { Complaint, Message } from '../../entities/index.ts';
import { pushTo } from '../../util/pushTo.ts';
import { loadAllocationIndex } from '../lookup/lookup.ts';

const PAGE_ROWS = 20_000;
const UPDATE_IDS = 1_000;

/**
 * Issue "Accounts…": a carrier sees "the messages and complaints whose numbers resolve there".
 * Each one's sender is resolved at its own time (sent_at / reported_at) and the carrier at the
 * root of that chain is stored with it (`root_carrier_id`, null when nothing covered the number),
 * so a carrier's traffic is one indexed filter. Allocations can change after the traffic was
 * loaded, so every import that touches either re-attributes all of it; only rows whose carrier
 * changed are written.
 */
export async function attributeTraffic(
  db: DataSource | EntityManager,
  index?: AllocationIndex,
): Promise<{ changed: number }> {
  const manager = 'manager' in db ? db.manager : db;
  const hasTraffic =
    (await manager.getRepository(Message).exists()) || (await manager.getRepository(Complaint).exists());
  if (!hasTraffic) return { changed: 0 };
  const allocations = index ?? (await loadAllocationIndex(manager));
  let changed = 0;
  changed += await attributeTable(manager, allocations, Message, 'sentAt');
  changed += await attributeTable(manager, allocations, Complaint, 'reportedAt');
  return { changed };
}

async function attributeTable<T extends ObjectLiteral>(
  manager: EntityManager,
  index: AllocationIndex,
  target: EntityTarget<T>,
  timeField: 'sentAt' | 'reportedAt',
): Promise<number> {
  const repository = manager.getRepository(target);
  const moves = new Map<number | null, number[]>();
  let changed = 0;
  const flush = async (force: boolean) => {
    for (const [carrierId, ids] of moves) {
      if (!force && ids.length < UPDATE_IDS) continue;
      for (let i = 0; i < ids.length; i += UPDATE_IDS) {
        await repository
          .createQueryBuilder()
          .update()
          .set({ rootCarrierId: carrierId } as never)
          .where('id IN (:...ids)', { ids: ids.slice(i, i + UPDATE_IDS) })
          .execute();
      }
      moves.delete(carrierId);
    }
  };
  let afterId = 0;
  for (;;) {
    const page = await repository
      .createQueryBuilder('t')
      .select(['t.id', 't.sender', `t.${timeField}`, 't.rootCarrierId'])
      .where('t.id > :afterId', { afterId })
      .orderBy('t.id', 'ASC')
      .limit(PAGE_ROWS)
      .getMany();
    for (const row of page) {
      const chain = chainAt(index, row.sender, row[timeField]);
      const carrierId = chain ? chain.links[0].holder.id : null;
      if (carrierId === row.rootCarrierId) continue;
      pushTo(moves, carrierId, row.id);
      changed++;
    }
    await flush(false);
    if (page.length < PAGE_ROWS) break;
    afterId = page[page.length - 1].id;
  }
  await flush(true);
  return changed;
}
