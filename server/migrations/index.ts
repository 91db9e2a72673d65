import { InitialSchema1764050000000 } from './1764050000000-InitialSchema.ts';
import { Accounts1764060000000 } from './1764060000000-Accounts.ts';
import { AllocationRootCarrier1764070000000 } from './1764070000000-AllocationRootCarrier.ts';
import { AuditLog1764080000000 } from './1764080000000-AuditLog.ts';
import { ReferenceDataAndScope1764090000000 } from './1764090000000-ReferenceDataAndScope.ts';
import { Findings1764100000000 } from './1764100000000-Findings.ts';
import { Notices1764110000000 } from './1764110000000-Notices.ts';
import { DropRedundantPrefixIndex1764120000000 } from './1764120000000-DropRedundantPrefixIndex.ts';
import { DropWriteOnlyAllocationKeys1764130000000 } from './1764130000000-DropWriteOnlyAllocationKeys.ts';
import { AllocationRootCarrierHolderIndex1764140000000 } from './1764140000000-AllocationRootCarrierHolderIndex.ts';
import { ImportRunOwner1764150000000 } from './1764150000000-ImportRunOwner.ts';
import { MessageLabels1764160000000 } from './1764160000000-MessageLabels.ts';
import { SignInAttempts1764170000000 } from './1764170000000-SignInAttempts.ts';
import { AuditRunCarrierTotals1764180000000 } from './1764180000000-AuditRunCarrierTotals.ts';
import { FindingDetailCode1764200000000 } from './1764200000000-FindingDetailCode.ts';
import { NoticeContentMediumText1764210000000 } from './1764210000000-NoticeContentMediumText.ts';
import { FindingLinkIndexes1764215000000 } from './1764215000000-FindingLinkIndexes.ts';

/** Every migration, oldest first. Listed by hand so no file glob is needed under tsx/ESM. */
export const migrations = [
  InitialSchema1764050000000,
  Accounts1764060000000,
  AllocationRootCarrier1764070000000,
  AuditLog1764080000000,
  ReferenceDataAndScope1764090000000,
  Findings1764100000000,
  Notices1764110000000,
  DropRedundantPrefixIndex1764120000000,
  DropWriteOnlyAllocationKeys1764130000000,
  AllocationRootCarrierHolderIndex1764140000000,
  ImportRunOwner1764150000000,
  MessageLabels1764160000000,
  SignInAttempts1764170000000,
  AuditRunCarrierTotals1764180000000,
  FindingDetailCode1764200000000,
  NoticeContentMediumText1764210000000,
  FindingLinkIndexes1764215000000,
];
