import type { EntityManager } from 'typeorm';
import { discardConnection } from '../../../db/typeormAdapter.ts';
import { logger } from '../../../log.ts';
import { dialectOf } from '../upsert.ts';

/**
 * Runs `write` with MySQL's foreign-key checks off for this transaction's connection, and puts
 * them back before anything else uses it. For a bulk load whose references are already
 * resolved this is what MySQL's manual advises (and what mysqldump's output does): with a
 * million grants the checks cost MariaDB about 2 µs a row, an eighth of the import
 * (docs/performance.md). Safe only where the import itself proves every reference it writes
 * (the allocations pass's bulk, AllocationsPass.writeEntityRows), and nothing in the product
 * deletes the carriers, agents, entities or allocations referred to. SQLite is left alone: its
 * foreign_keys pragma cannot change inside a transaction.
 */
export async function withoutForeignKeyChecks(manager: EntityManager, write: () => Promise<void>): Promise<void> {
  if (dialectOf(manager) !== 'mysql') {
    await write();
    return;
  }
  await manager.query('SET SESSION foreign_key_checks = 0');
  try {
    await write();
  } catch (error) {
    // The write's failure is the one reported; one in putting the checks back is logged.
    await restoreForeignKeyChecks(manager).catch((restoreError: unknown) =>
      logger().error({ err: restoreError }, 'import: turning foreign-key checks back on after a failure'),
    );
    throw error;
  }
  await restoreForeignKeyChecks(manager);
}

/**
 * Tried twice (a statement killed or timed out on a live connection is worth one more try);
 * after that the connection is closed, so the pool never hands it out without the checks.
 */
async function restoreForeignKeyChecks(manager: EntityManager): Promise<void> {
  try {
    await manager.query('SET SESSION foreign_key_checks = 1');
  } catch {
    try {
      await manager.query('SET SESSION foreign_key_checks = 1');
    } catch (error) {
      if (manager.queryRunner) discardConnection(manager.queryRunner);
      throw error;
    }
  }
}
