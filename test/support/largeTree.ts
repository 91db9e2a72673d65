import { usccCheckCharacter } from '../../server/numbering/uscc.ts';

/** A USCC made from a prefix and a serial number, with its check character. */
const uscc = (prefix: string, n: number) => {
  const first17 = `${prefix}${String(n).padStart(17 - prefix.length, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

export interface LargeTree {
  files: Record<string, string>;
  /** The entity numbers, in the order they were granted. */
  leaves: string[];
  /** The USCC of the entity holding `leaves[i]`. */
  entityOf(leaf: number): string;
  /** The USCC of first-level agent `a`, and of its sub-agent `s`. */
  firstLevel(a: number): string;
  subAgent(a: number, s: number): string;
}

/**
 * A deterministic carrier tree of about `allocations` allocations (bench/tree.ts and the tests of
 * the hierarchy at that size): one carrier, 20 first-level agents holding `${prefix}000`…, 10
 * sub-agents under each (every third one undeclared), the rest entity numbers spread evenly under
 * the sub-agents; and `messages` messages from those numbers, with a complaint for every 40th.
 */
export function largeTree(options: { allocations?: number; messages?: number; prefix?: string } = {}): LargeTree {
  const total = options.allocations ?? 10_000;
  const messageCount = options.messages ?? 0;
  const prefix = options.prefix ?? '1069';
  const agents = ['uscc,name,licence_no'];
  const entities = ['uscc,name,signatures'];
  const allocations = ['prefix,holder,lessee,valid_from,valid_to,miit_filing_no,declared'];
  const leaves: string[] = [];
  const firstLevel = 20;
  const subAgents = 10;
  const perSub = Math.ceil((total - firstLevel * (1 + subAgents)) / (firstLevel * subAgents));
  const firstLevelUscc = (a: number) => uscc('91110108MA', a);
  const subAgentUscc = (a: number, s: number) => uscc('91310115MB', a * subAgents + s);
  const entityUscc = (n: number) => uscc('91330100MC', n);
  let entity = 0;
  for (let a = 0; a < firstLevel && allocations.length <= total; a++) {
    const root = `${prefix}${String(a).padStart(3, '0')}`;
    agents.push(`${firstLevelUscc(a)},一级代理${a}有限公司,B2-2019${String(a).padStart(4, '0')}`);
    allocations.push(`${root},CMCC,${firstLevelUscc(a)},2020-01-01,,工信部备案${a},true`);
    for (let s = 0; s < subAgents && allocations.length <= total; s++) {
      const sub = `${root}${s}`;
      agents.push(`${subAgentUscc(a, s)},二级代理${a}-${s}有限公司,`);
      allocations.push(
        `${sub},${firstLevelUscc(a)},${subAgentUscc(a, s)},2020-06-01,,,${s % 3 === 0 ? 'false' : 'true'}`,
      );
      for (let e = 0; e < perSub && allocations.length <= total; e++) {
        entities.push(`${entityUscc(entity)},使用主体${entity}有限公司,主体${entity}`);
        const number = `${sub}${String(e).padStart(6, '0')}`;
        allocations.push(`${number},${subAgentUscc(a, s)},${entityUscc(entity)},2021-01-01,,,true`);
        leaves.push(number);
        entity++;
      }
    }
  }
  const messages = ['id,sender,sent_at,content'];
  const complaints = ['id,sender,reported_at'];
  for (let m = 0; m < messageCount; m++) {
    const sender = leaves[(m * 7919) % leaves.length];
    const day = String(1 + (m % 28)).padStart(2, '0');
    messages.push(
      `M${m},${sender},2023-0${1 + (m % 9)}-${day}T10:00:00+08:00,【主体${m % 50}】您的验证码是${m % 10_000}`,
    );
    if (m % 40 === 0) complaints.push(`C${m},${sender},2023-0${1 + (m % 9)}-${day}T12:00:00+08:00`);
  }
  const files: Record<string, string> = {
    'carriers.csv': 'code,name\nCMCC,中国移动\n',
    'agents.csv': `${agents.join('\n')}\n`,
    'entities.csv': `${entities.join('\n')}\n`,
    'allocations.csv': `${allocations.join('\n')}\n`,
  };
  if (messageCount > 0) {
    files['messages.csv'] = `${messages.join('\n')}\n`;
    files['complaints.csv'] = `${complaints.join('\n')}\n`;
  }
  return {
    files,
    leaves,
    entityOf: entityUscc,
    firstLevel: firstLevelUscc,
    subAgent: subAgentUscc,
  };
}
