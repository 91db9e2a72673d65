import { agentMultipleSegments } from './agentMultipleSegments.ts';
import { complaintCluster } from './complaintCluster.ts';
import { hiddenRelease } from './hiddenRelease.ts';
import { govImpersonation, lookalikeSignatureRule } from './impersonationRules.ts';
import { invalidUscc } from './invalidUscc.ts';
import { multiLevelRelease } from './multiLevelRelease.ts';
import { numberMultiEntity } from './numberMultiEntity.ts';
import { overlappingAllocation } from './overlappingAllocation.ts';
import { brandImpersonationRule, officialPretextRule } from './pretextRules.ts';
import { segmentUnfiled } from './segmentUnfiled.ts';
import { suspiciousUrl } from './suspiciousUrl.ts';
import { unallocatedSender } from './unallocatedSender.ts';
import { unfiledSignature } from './unfiledSignature.ts';
import { unlicensedLessee } from './unlicensedLessee.ts';
import type { Rule } from './types.ts';

/** Every rule the audit runs, one module per rule code (docs/domain.md#rules). */
export const RULES: readonly Rule[] = [
  multiLevelRelease,
  segmentUnfiled,
  agentMultipleSegments,
  numberMultiEntity,
  overlappingAllocation,
  unlicensedLessee,
  invalidUscc,
  unallocatedSender,
  govImpersonation,
  lookalikeSignatureRule,
  officialPretextRule,
  brandImpersonationRule,
  unfiledSignature,
  suspiciousUrl,
  hiddenRelease,
  complaintCluster,
];
