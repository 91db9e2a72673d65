import { expect } from 'chai';
import { openDataset } from '../../server/dataset/readers.ts';
import { demoDatasetDir } from '../../server/demo.ts';
import { Allocation } from '../../server/entities/index.ts';
import { formatShanghai } from '../../server/numbering/time.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { lookupJson, lookupNumber } from '../../server/services/lookup/lookup.ts';
import { describeEachDatabase } from '../support/databases.ts';

describeEachDatabase("a one-off lookup reads only its number's rows (sms106 lookup)", (ctx) => {
  it("answers exactly as the whole index for every number and moment around the demo's allocations", async () => {
    await importDataset(ctx.dataSource, await openDataset(demoDatasetDir));
    const allocations = await ctx.dataSource.getRepository(Allocation).find();
    // Per allocation: a number in its range at the first and last moment of its validity and just
    // outside it, and a number one digit off its range while it is valid.
    const cases = allocations.flatMap((a) => {
      const inside = a.prefix.padEnd(13, '7');
      const beside = `${a.prefix.slice(0, -1)}${(Number(a.prefix.at(-1)) + 1) % 10}`.padEnd(13, '3');
      const from = `${a.validFrom}T00:00:00+08:00`;
      const last = a.validTo === null ? '2030-06-01T12:00:00+08:00' : `${a.validTo}T23:59:59+08:00`;
      const before = new Date(Date.parse(from) - 1000).toISOString();
      const after = new Date(Date.parse(last) + 1000).toISOString();
      return [
        [inside, from],
        [inside, last],
        [inside, before],
        [inside, after],
        [beside, from],
      ];
    });
    let chains = 0;
    const differences: string[] = [];
    for (const [number, at] of cases) {
      const whole = lookupJson(await lookupNumber(ctx.dataSource, number, at), formatShanghai);
      const once = lookupJson(
        await lookupNumber(ctx.dataSource, number, at, undefined, { once: true }),
        formatShanghai,
      );
      if (JSON.stringify(once) !== JSON.stringify(whole)) differences.push(`${number} at ${at}`);
      if ((whole as { chain: unknown[] }).chain.length > 0) chains++;
    }
    expect(differences).to.deep.equal([]);
    expect(chains, 'the walk met real chains, not only empty answers').to.be.at.least(allocations.length * 2);
  });
});
