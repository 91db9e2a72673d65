import { createDataSource } from '../../ormconfig.ts';

/**
 * For the TypeORM CLI (`npx typeorm-ts-node-esm -d server/migrations/dataSource.ts …`). Kept out
 * of ormconfig.ts: everything imports that, and building this from DATABASE_URL on import made
 * even `sms106 --help` fail on a bad URL.
 */
export default createDataSource();
