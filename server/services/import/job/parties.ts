import { Agent, Carrier, Signature, UsingEntity } from '../../../entities/index.ts';
import type { DatasetTable } from '../../../dataset/readers.ts';
import { ENTITY_KINDS } from '../../../numbering/uscc.ts';
import { pushTo } from '../../../util/pushTo.ts';
import { BATCH_ROWS, type ImportJob } from './core.ts';
import { splitList, type RowReader } from './rowReader.ts';

/**
 * The parties' files: carriers, agents and using entities (with their signatures). Each pass
 * adds what it accepts to the job's known parties, with their ids once written, for the
 * allocations file to refer to.
 */
export class PartiesPass {
  /** Under a carrier scope: the stored agents and entities, which that import may add to but not change. */
  private readonly sharedRegistry = new Map<string, Record<string, string | null>>();

  constructor(private readonly job: ImportJob) {}

  async importCarriers(table: DatasetTable): Promise<void> {
    const job = this.job;
    const unique = job.duplicateCheck();
    const batch = job.batcher(Carrier, ['code'], ['name']);
    await job.eachRow(table, (row) => {
      const code = row.required('code', 16);
      const name = row.required('name', 100);
      if (code !== null && !/^[A-Za-z0-9_-]+$/.test(code)) row.issue('code', code, 'carrier.bad_code');
      if (job.carrier && code !== null && code !== job.carrier.code)
        row.issue('code', code, 'scope.other_carrier', { carrier: job.carrier.code });
      if (row.bad || code === null || name === null || !unique(row, code, 'code', code)) return;
      if (!job.carriers.has(code)) job.carriers.set(code, null);
      return batch.add({ code, name } as Carrier);
    });
    await batch.flush();
    if (job.writing) for (const c of await job.manager.find(Carrier)) job.carriers.set(c.code, c.id);
  }

  async importAgents(table: DatasetTable): Promise<void> {
    const job = this.job;
    const unique = job.duplicateCheck();
    const batch = job.batcher(Agent, ['uscc'], ['name', 'licence_no', 'contact', 'address']);
    await job.eachRow(table, (row) => {
      const uscc = row.uscc('uscc');
      const name = row.required('name', 200);
      const licenceNo = row.optional('licence_no', 64);
      const contact = row.optional('contact', 200);
      const address = row.optional('address', 300);
      if (uscc !== null) this.checkSharedRegistry(row, `a:${uscc}`, { name, licence_no: licenceNo, contact, address });
      if (row.bad || uscc === null || name === null || !unique(row, uscc, 'uscc', uscc)) return;
      if (!job.agents.has(uscc)) job.agents.set(uscc, null);
      return batch.add({ uscc, name, licenceNo, contact, address } as Agent);
    });
    await batch.flush();
    if (job.writing)
      for (const a of await job.manager.find(Agent, { select: { id: true, uscc: true } })) job.agents.set(a.uscc, a.id);
  }

  async importEntities(table: DatasetTable): Promise<void> {
    const job = this.job;
    const unique = job.duplicateCheck();
    const batch = job.batcher(UsingEntity, ['uscc'], ['name', 'kind']);
    const signaturesByUscc = new Map<string, string[]>();
    await job.eachRow(table, (row) => {
      const uscc = row.uscc('uscc');
      const name = row.required('name', 200);
      const kind = row.optional('kind', 20);
      if (kind !== null && !(ENTITY_KINDS as readonly string[]).includes(kind))
        row.issue('kind', kind, 'entity.bad_kind', { kinds: ENTITY_KINDS.join(', ') });
      const signatures = splitList(row.raw('signatures'))
        .map(stripSignatureBrackets)
        .filter((s) => s !== '');
      for (const signature of signatures) {
        if ([...signature].length > 100) row.issue('signatures', signature, 'cell.too_long', { max: 100 });
      }
      if (uscc !== null)
        this.checkSharedRegistry(row, `e:${uscc}`, {
          name,
          kind,
          signatures: [...new Set(signatures)].sort().join('|'),
        });
      if (row.bad || uscc === null || name === null || !unique(row, uscc, 'uscc', uscc)) return;
      if (!job.entities.has(uscc)) job.entities.set(uscc, null);
      signaturesByUscc.set(uscc, [...new Set(signatures)]);
      return batch.add({ uscc, name, kind } as UsingEntity);
    });
    await batch.flush();
    if (!job.writing) return;
    for (const e of await job.manager.find(UsingEntity, { select: { id: true, uscc: true } }))
      job.entities.set(e.uscc, e.id);
    await this.replaceSignatures(signaturesByUscc);
  }

  /** An entity row lists its whole set of signatures: add the new ones, drop the ones it no longer lists. */
  private async replaceSignatures(signaturesByUscc: Map<string, string[]>): Promise<void> {
    const { manager, entities } = this.job;
    const ids = [...signaturesByUscc.keys()].map((uscc) => entities.get(uscc)!);
    const existing = new Map<number, Signature[]>();
    for (let i = 0; i < ids.length; i += BATCH_ROWS) {
      const chunk = ids.slice(i, i + BATCH_ROWS);
      const rows = await manager
        .createQueryBuilder(Signature, 's')
        .where('s.entity_id IN (:...chunk)', { chunk })
        .getMany();
      for (const s of rows) pushTo(existing, s.entityId, s);
    }
    const toInsert: Array<Partial<Signature>> = [];
    const toDelete: number[] = [];
    for (const [uscc, wanted] of signaturesByUscc) {
      const entityId = entities.get(uscc)!;
      const have = existing.get(entityId) ?? [];
      for (const text of wanted) if (!have.some((s) => s.text === text)) toInsert.push({ entityId, text });
      for (const s of have) if (!wanted.includes(s.text)) toDelete.push(s.id);
    }
    for (let i = 0; i < toDelete.length; i += BATCH_ROWS)
      await manager.delete(Signature, toDelete.slice(i, i + BATCH_ROWS));
    for (let i = 0; i < toInsert.length; i += BATCH_ROWS) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(Signature)
        .values(toInsert.slice(i, i + BATCH_ROWS))
        .updateEntity(false)
        .execute();
    }
  }

  /**
   * Agents and entities are one registry shared by every carrier: a carrier user's import may add
   * new ones, but a change to one already stored would change what other carriers see, so it is
   * refused (an administrator makes it). Read before the first file of a carrier user's import.
   */
  async loadSharedRegistry(): Promise<void> {
    const manager = this.job.manager;
    for (const a of await manager.find(Agent)) {
      this.sharedRegistry.set(`a:${a.uscc}`, {
        name: a.name,
        licence_no: a.licenceNo,
        contact: a.contact,
        address: a.address,
      });
    }
    const signatures = new Map<number, string[]>();
    for (const s of await manager.find(Signature)) pushTo(signatures, s.entityId, s.text);
    for (const e of await manager.find(UsingEntity)) {
      this.sharedRegistry.set(`e:${e.uscc}`, {
        name: e.name,
        kind: e.kind,
        signatures: [...(signatures.get(e.id) ?? [])].sort().join('|'),
      });
    }
  }

  private checkSharedRegistry(row: RowReader, key: string, values: Record<string, string | null>): void {
    const stored = this.sharedRegistry.get(key);
    if (!stored) return;
    const changed = Object.keys(values).find((column) => values[column] !== stored[column]);
    if (changed) row.issue(changed, values[changed], 'scope.shared_registry', { stored: stored[changed] ?? '' });
  }
}

function stripSignatureBrackets(signature: string): string {
  return signature
    .replace(/^[【[]/, '')
    .replace(/[】\]]$/, '')
    .trim();
}
