import { expect } from 'chai';
import { RULES } from '../../server/rules/index.ts';
import type { AuditedMessage } from '../../server/rules/types.ts';
import { AuditShares } from '../../server/services/audit/auditShares.ts';
import { CMCC, entityParty, grant, message, snapshotOf } from '../support/snapshot.ts';

describe('audit threads', () => {
  it("give up with the snapshot's own error when it cannot be loaded", async function () {
    this.timeout(60_000);
    const error = await AuditShares.start(Promise.reject(new Error('the database went away')), RULES, 2).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.equal('the database went away');
  });

  it("answer every page in order while several are with them, and a thread's failure ends the pages with its error", async function () {
    this.timeout(60_000);
    const shop = entityParty('91110000MA0000001', '某某商店');
    const snapshot = snapshotOf([grant('1069012345', CMCC, shop)], {
      entities: [{ uscc: shop.key, name: shop.name, signatures: ['某某商店'] }],
    });
    const page = (first: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        message(
          `1069012345${String(first + i).padStart(4, '0')}`,
          '2024-05-01T10:00:00+08:00',
          '【某某商店】您的订单已发货。',
        ),
      );
    // Six pages: more than the threads are given at once, so pages are sent as answers come back.
    const pages = Array.from({ length: 6 }, (_, p) => page(p * 10, 10));
    const shares = await AuditShares.start(snapshot, RULES, 2);
    try {
      const counts: number[] = [];
      for await (const answered of shares.auditPages(pages)) counts.push(answered.count);
      expect(counts).to.deep.equal([10, 10, 10, 10, 10, 10]);
    } finally {
      await shares.close();
    }

    // A message no rule can read (its content missing) stops its thread with the page after it still out.
    const broken = page(200, 10);
    (broken[3] as { content: unknown }).content = null;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const failing = await AuditShares.start(snapshot, RULES, 2);
    try {
      const counts: number[] = [];
      const error = await (async () => {
        for await (const answered of failing.auditPages([
          page(100, 10),
          broken,
          page(300, 10),
          page(400, 10),
        ] as AuditedMessage[][]))
          counts.push(answered.count);
      })().then(
        () => null,
        (e: Error) => e,
      );
      expect(error).to.be.instanceOf(Error);
      // The page before the broken one may be answered or not (the thread's stop can overtake its answer); none after
      // it is.
      expect(counts.length).to.be.at.most(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await failing.close();
    }
  });
});
