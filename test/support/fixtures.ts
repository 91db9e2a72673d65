import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { Finding } from '../../server/entities/index.ts';
import { usccCheckCharacter } from '../../server/numbering/uscc.ts';

/** A USCC with the right check character for the given first 17 characters. */
export function uscc(first17: string): string {
  return first17 + usccCheckCharacter(first17);
}

export const A1 = uscc('91110108MA01AAAA1');
export const A2 = uscc('91310115MA02BBBB2');
export const A3 = uscc('91440300MA03CCCC3');
export const E_GOV = uscc('11110000000013127');
export const E_SHOP = uscc('91330100MA04DDDD4');
export const E_LOGI = uscc('91330100MA05EEEE5');

/**
 * A small dataset that exercises the tree: CMCC → A1 (level 1) → A2 (level 2, undeclared) → a
 * number reassigned from E_SHOP to E_LOGI on 2023-07-01; A1 also serves E_GOV directly. The
 * child row A2→E_SHOP comes before the A1→A2 row it hangs from, on purpose.
 */
export function smallDataset(): Record<string, string> {
  return {
    'carriers.csv': 'code,name\nCMCC,中国移动\nCUCC,中国联通\n',
    'agents.csv': `uscc,name,licence_no,contact,address\n${A1},北京一级通信有限公司,B2-20190001,张三,北京市海淀区\n${A2},上海二级网络科技有限公司,沪B2-20200002,,\n${A3},深圳无证信息技术有限公司,,,\n`,
    'entities.csv': `uscc,name,signatures,kind\n${E_GOV},北京市公安局公安交通管理局,北京交警|北京市公安局公安交通管理局,\n${E_SHOP},杭州某网店有限公司,某网店,\n${E_LOGI},杭州某物流有限公司,【某物流】,\n`,
    'allocations.csv':
      [
        'prefix,holder,lessee,valid_from,valid_to,miit_filing_no,declared',
        `10690123450188,${A2},${E_SHOP},2022-01-01,2023-06-30,,true`,
        `1069012345,CMCC,${A1},2021-01-01,,工信部备案A-001,true`,
        `106901234501,${A1},${A2},2021-06-01,,,false`,
        `10690123450188,${A2},${E_LOGI},2023-07-01,,,`,
        `106901234502,${A1},${E_GOV},2021-03-01,,,true`,
        `10655,CUCC,${A3},2020-01-01,,,true`,
      ].join('\n') + '\n',
    'messages.csv':
      'id,sender,sent_at,content,recipient\nM1,10690123450188,2022-03-14T09:30:00+08:00,"【某网店】您的订单已发货, 请注意查收",13800138000\n,106901234502,2022-05-01 10:00:00,【北京交警】您有一条违章记录,+86 139 0013 9000\n',
    'complaints.csv':
      'id,sender,reported_at,received_at,loss_yuan,region,summary\nC1,10690123450188,2022-04-01T12:00:00+08:00,2022-04-02,30000,北京市海淀区,冒充交警\n',
    'protected_senders.csv': `name,uscc,aliases\n北京市公安局公安交通管理局,${E_GOV},北京交警|交管12123\n`,
    'url_lists.csv': 'domain,list,note\nt.cn,block,短链接\nwww.12123.gov.cn,allow,\n',
  };
}

/** Writes a dataset's files into a new temporary directory and returns its path. */
export async function writeDataset(files: Record<string, string | Buffer>): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-test-'));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(directory, name), content);
  return directory;
}

const TABLES = [
  'carriers',
  'agents',
  'entities',
  'signatures',
  'allocations',
  'messages',
  'complaints',
  'protected_senders',
  'url_list_entries',
  'issuers',
];

/** Every row of every data table, ids included, in a form two snapshots can be compared in. */
export async function snapshot(dataSource: DataSource): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = await dataSource.query(`SELECT * FROM ${table} ORDER BY id`);
    result[table] = JSON.parse(JSON.stringify(rows));
  }
  return result;
}

/** What saveFindings needs of a finding; the rest is a plain open finding of `agentUscc`. */
export interface FindingSpec {
  rule: string;
  prefix?: string | null;
  number?: string | null;
  /** Its Chinese prose (the form findings had before catalogue codes): what a notice prints of it. */
  detail: string;
  occurredAt: Date;
}

/** Saves open findings of one agent as an audit would have left them, with no chain; their ids in order. */
export async function saveFindings(dataSource: DataSource, agentUscc: string, specs: FindingSpec[]): Promise<number[]> {
  const now = new Date();
  const rows = specs.map((spec, i) => ({
    dedupeKey: `fixture-${agentUscc}-${i}-${now.getTime()}`,
    rule: spec.rule,
    severity: 'high' as const,
    status: 'open' as const,
    rootCarrierId: null,
    agentUscc,
    prefix: spec.prefix ?? null,
    number: spec.number ?? null,
    messageId: null,
    messageRef: null,
    complaintId: null,
    complaintRef: null,
    entityUscc: null,
    detailCode: null,
    detailParams: null,
    detail: spec.detail,
    detailEn: spec.detail,
    evidence: {},
    occurredAt: spec.occurredAt,
    firstSeenAt: now,
    lastSeenAt: now,
    lastRunId: 1,
    statusChangedAt: null,
    statusChangedBy: null,
    statusReason: null,
  }));
  return (await dataSource.getRepository(Finding).save(rows)).map((row) => row.id);
}
