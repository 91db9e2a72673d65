import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { Allocation, Carrier, Finding, Message } from '../../server/entities/index.ts';
import { dedupeKey, runAudit } from '../../server/services/audit/auditRuns.ts';
import type { FindingDraft } from '../../server/rules/types.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { lookupNumber } from '../../server/services/lookup/lookup.ts';
import { clearAllData, mariadbNameWith, mariadbServerQuery, mariadbUrl, mariadbUrlOf } from '../support/databases.ts';
import { signIn } from '../support/session.ts';

/**
 * On TiDB the id columns become BIGINT AUTO_RANDOM (docs/scaling.md): ids spread over 2⁵³ and the
 * driver hands them back as BIGINT. Here a MariaDB store gets the same wide columns, with its
 * counters started past 2⁴⁰, and must import, audit and look up exactly as a store of 32-bit ids
 * does, with every id an exact JavaScript number.
 */
const MESSAGE_IDS_FROM = 2 ** 40 + 7;
const ALLOCATION_IDS_FROM = 2 ** 41 + 3;

async function importAndAudit(dataSource: DataSource): Promise<void> {
  const summary = await importDataset(dataSource, await openDataset('seeds/demo'));
  expect(summary, 'the demo dataset imports').to.be.an('object');
  const outcome = await runAudit(dataSource, { actor: 'tester', threads: 1 });
  expect(outcome.status).to.equal('succeeded');
}

/** What the audit found, without the ids the two stores number differently. */
async function findingsOf(dataSource: DataSource): Promise<string[]> {
  const findings = await dataSource.getRepository(Finding).find();
  return findings
    .map((f) =>
      [f.dedupeKey, f.rule, f.severity, f.prefix, f.number, f.agentUscc, f.messageRef, f.messageId === null].join('|'),
    )
    .sort();
}

describe('ids past 32 bits, as TiDB gives them [MariaDB]', function () {
  const wideName = mariadbNameWith('wide_ids');
  let wide: DataSource;
  let plain: DataSource;

  before(async function () {
    this.timeout(120_000);
    await mariadbServerQuery(`DROP DATABASE IF EXISTS \`${wideName}\``);
    await mariadbServerQuery(`CREATE DATABASE \`${wideName}\``);
    wide = await openDatabase(mariadbUrlOf(wideName));
    await wide.query(
      `ALTER TABLE messages MODIFY id BIGINT NOT NULL AUTO_INCREMENT, AUTO_INCREMENT = ${MESSAGE_IDS_FROM}`,
    );
    await wide.query('ALTER TABLE findings MODIFY message_id BIGINT NULL');
    await wide.query('ALTER TABLE message_labels MODIFY message_id BIGINT NULL');
    await wide.query(
      `ALTER TABLE allocations MODIFY id BIGINT NOT NULL AUTO_INCREMENT, MODIFY parent_id BIGINT NULL, AUTO_INCREMENT = ${ALLOCATION_IDS_FROM}`,
    );
    await importAndAudit(wide);
    plain = await openDatabase(mariadbUrl);
    await clearAllData(plain);
    await importAndAudit(plain);
  });

  after(async () => {
    await wide?.destroy();
    if (plain) await clearAllData(plain);
    await plain?.destroy();
    await mariadbServerQuery(`DROP DATABASE IF EXISTS \`${wideName}\``);
  });

  it('reads every message and allocation id back as the exact number stored', async () => {
    const messages = await wide.getRepository(Message).find({ order: { id: 'ASC' } });
    expect(messages.length).to.be.greaterThan(10);
    const [{ low }] = await wide.query('SELECT CAST(MIN(id) AS CHAR) AS low FROM messages');
    expect(messages[0].id).to.be.a('number');
    expect(String(messages[0].id)).to.equal(low);
    expect(messages[0].id).to.equal(MESSAGE_IDS_FROM);
    const allocations = await wide.getRepository(Allocation).find();
    for (const allocation of allocations) {
      expect(allocation.id).to.be.a('number').and.at.least(ALLOCATION_IDS_FROM);
      if (allocation.parentId !== null) expect(allocation.parentId).to.be.a('number').and.at.least(ALLOCATION_IDS_FROM);
    }
  });

  it('audits as a store of 32-bit ids does, each finding pointing at its stored message', async () => {
    expect(await findingsOf(wide)).to.deep.equal(await findingsOf(plain));
    const messageIds = new Set((await wide.getRepository(Message).find()).map((m) => m.id));
    const pointing = (await wide.getRepository(Finding).find()).filter((f) => f.messageId !== null);
    expect(pointing.length, 'the demo traffic has findings about single messages').to.be.greaterThan(0);
    for (const finding of pointing)
      expect(
        messageIds.has(finding.messageId as number),
        `finding ${finding.rule} → message ${finding.messageId}`,
      ).to.equal(true);
  });

  it('finds the same split across threads, which share the index and its ids', async function () {
    this.timeout(60_000);
    const keys = (outcome: { findings: readonly FindingDraft[] }) => outcome.findings.map(dedupeKey).sort();
    const alone = await runAudit(wide, { actor: 'tester', threads: 1 });
    const split = await runAudit(wide, { actor: 'tester', threads: 2 });
    expect(keys(split)).to.deep.equal(keys(alone));
    expect(alone.findings.length).to.equal(await wide.getRepository(Finding).count());
  });

  it('serves the pages of a message and of the hierarchy at those ids', async () => {
    const client = await signIn(createApp(wide, { databaseUrl: mariadbUrlOf(wideName) }), wide);
    const finding = (await wide.getRepository(Finding).find()).find((f) => f.messageId !== null)!;
    expect((await client.get(`/findings/${finding.id}`).expect(200)).text).to.include(`/messages/${finding.messageId}`);
    const message = await wide.getRepository(Message).findOneByOrFail({ id: finding.messageId! });
    expect((await client.get(`/messages/${message.id}`).expect(200)).text).to.include(message.sender);
    const root = (await wide.getRepository(Allocation).find()).find((a) => a.parentId === null)!;
    const carrier = await wide.getRepository(Carrier).findOneByOrFail({ id: root.rootCarrierId });
    const tree = (await client.get(`/tree?carrier=${carrier.code}&toggle=${root.id}`).expect(200)).text;
    expect(tree, "the toggled grant is carried in the page's links").to.include(String(root.id));
  });

  it('looks every sender up to the same chain, its links carrying the stored ids', async () => {
    const storedIds = new Map((await wide.getRepository(Allocation).find()).map((a) => [a.id, a.prefix]));
    const messages = await wide.getRepository(Message).find();
    let answered = 0;
    for (const message of messages) {
      const at = message.sentAt.toISOString();
      const [inWide, inPlain] = [
        await lookupNumber(wide, message.sender, at),
        await lookupNumber(plain, message.sender, at),
      ];
      expect(inWide.chain?.links.map((l) => l.prefix)).to.deep.equal(inPlain.chain?.links.map((l) => l.prefix));
      expect(inWide.chain?.entity?.name).to.equal(inPlain.chain?.entity?.name);
      for (const link of inWide.chain?.links ?? []) {
        expect(storedIds.get(link.id), `link ${link.prefix} has id ${link.id}`).to.equal(link.prefix);
        if (link.parentId !== null) expect(storedIds.has(link.parentId)).to.equal(true);
      }
      if (inWide.chain) answered++;
    }
    expect(answered, 'most demo senders are allocated').to.be.greaterThan(messages.length / 2);
  });
});
