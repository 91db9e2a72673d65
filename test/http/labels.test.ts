import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { AuditEvent, Carrier, Message, MessageLabel } from '../../server/entities/index.ts';
import { exportDataset, LABELS_FILE } from '../../server/services/import/exporter.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';
import { parseCorpus } from '../support/realworld.ts';
import { signIn, type Client } from '../support/session.ts';

describeEachDatabase('staff labels on messages', (ctx) => {
  let admin: Client;
  let regulator: Client;
  let cmcc: Client;
  let cucc: Client;
  let own: Message;
  let other: Message;

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const app = createApp(ctx.dataSource);
    admin = await signIn(app, ctx.dataSource, { role: 'admin' });
    regulator = await signIn(app, ctx.dataSource, { role: 'regulator' });
    cmcc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CMCC' });
    cucc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CUCC' });
    // The small dataset's two messages: M1 sent from 中国移动's tree, the other from it too.
    const carrier = await ctx.dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CMCC' });
    [own, other] = await ctx.dataSource
      .getRepository(Message)
      .find({ where: { rootCarrierId: carrier.id }, order: { id: 'ASC' } });
  });

  it("a carrier's clerk labels its own message with a reason; the page shows it and the audit log records it", async () => {
    const form = (await cmcc.get(`/messages/${own.id}`).expect(200)).text;
    expect(form).to.include('尚未标注').and.to.include(`action="/messages/${own.id}/label"`);
    await cmcc
      .post(`/messages/${own.id}/label`)
      .type('form')
      .send({ label: 'gov', reason: '冒充社保局催办，链接为钓鱼网站', version: '0' })
      .expect(303);
    const page = (await cmcc.get(`/messages/${own.id}?labelled=1`).expect(200)).text;
    expect(page)
      .to.include('标注已保存')
      .and.to.include('当前标注：冒用政府机关或公共服务')
      .and.to.include('冒充社保局催办，链接为钓鱼网站');
    const stored = await ctx.dataSource.getRepository(MessageLabel).findOneByOrFail({ messageId: own.id });
    expect([stored.label, stored.content, stored.sender, stored.version]).to.deep.equal([
      'gov',
      own.content,
      own.sender,
      1,
    ]);
    const events = await ctx.dataSource.getRepository(AuditEvent).findBy({ action: 'message.labelled' });
    expect(events.map((e) => [e.subject, e.before, e.after])).to.deep.equal([
      [`message:${own.id}`, null, { messageId: own.id, label: 'gov', reason: '冒充社保局催办，链接为钓鱼网站' }],
    ]);
  });

  it("refuses a label without a reason or of an unknown kind, a stale form, another carrier's message and a regulator", async () => {
    expect(
      (
        await cmcc
          .post(`/messages/${own.id}/label`)
          .type('form')
          .send({ label: 'gov', reason: '', version: '0' })
          .expect(400)
      ).text,
    ).to.include('请选择一种标注并写明理由');
    await cmcc
      .post(`/messages/${own.id}/label`)
      .type('form')
      .send({ label: 'maybe', reason: '不确定', version: '0' })
      .expect(400);
    await cmcc
      .post(`/messages/${own.id}/label`)
      .type('form')
      .send({ label: 'legit', reason: '本公司验证码', version: '0' })
      .expect(303);
    const stale = await admin
      .post(`/messages/${own.id}/label`)
      .type('form')
      .send({ label: 'brand', reason: '冒充银行', version: '0' })
      .expect(409);
    expect(stale.text).to.include('其他人已修改了这条短信的标注');
    await cucc
      .post(`/messages/${other.id}/label`)
      .type('form')
      .send({ label: 'gov', reason: '越权尝试', version: '0' })
      .expect(404);
    await cucc.get(`/messages/${other.id}`).expect(404);
    await regulator
      .post(`/messages/${own.id}/label`)
      .type('form')
      .send({ label: 'gov', reason: '监管不改数据', version: '1' })
      .expect(403);
    expect((await regulator.get(`/messages/${own.id}`).expect(200)).text)
      .to.include('当前标注：不是冒用')
      .and.not.to.include(`action="/messages/${own.id}/label"`);
    const stored = await ctx.dataSource.getRepository(MessageLabel).find();
    expect(stored.map((l) => [l.messageId, l.label, l.version])).to.deep.equal([[own.id, 'legit', 1]]);
  });

  it('sms106 export writes the labels as corpus rows the real-world test reads; a store without labels gets no such file', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'labels-none-'));
    expect((await exportDataset(ctx.dataSource, empty)).files.map((f) => f.file)).not.to.include(LABELS_FILE);
    await cmcc
      .post(`/messages/${own.id}/label`)
      .type('form')
      .send({ label: 'legit', reason: '本公司的正常通知', version: '0' })
      .expect(303);
    await admin
      .post(`/messages/${other.id}/label`)
      .type('form')
      .send({ label: 'brand', reason: '冒充银行积分兑换', version: '0' })
      .expect(303);
    const directory = await mkdtemp(path.join(os.tmpdir(), 'labels-'));
    const summary = await exportDataset(ctx.dataSource, directory);
    expect(summary.files.find((f) => f.file === LABELS_FILE)?.rows).to.equal(2);
    const rows = parseCorpus(await readFile(path.join(directory, LABELS_FILE), 'utf8'), LABELS_FILE);
    expect(rows.map((r) => [r.label, r.text, r.split, r.source.startsWith('sms106:message/')])).to.deep.equal([
      ['legit', own.content, 'tune', true],
      ['brand', other.content, 'tune', true],
    ]);
    expect(rows[0].note).to.include('本公司的正常通知');
  });
});
