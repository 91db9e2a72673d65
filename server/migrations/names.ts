/**
 * The name of every migration in index.ts, oldest first, as TypeORM records a migration that has
 * run (its class name) in the `migrations` table. Known here without loading the migrations, and
 * TypeORM with them, so that `sms106 lookup` can tell a store whose schema is current and read it
 * with the bare driver (server/db/plainStore.ts, docs/cli.md#starting-quickly). A migration added
 * to index.ts is added here too: test/cli/lookup.test.ts holds the two lists equal.
 */
export const MIGRATION_NAMES: readonly string[] = [
  'InitialSchema1764050000000',
  'Accounts1764060000000',
  'AllocationRootCarrier1764070000000',
  'AuditLog1764080000000',
  'ReferenceDataAndScope1764090000000',
  'Findings1764100000000',
  'Notices1764110000000',
  'DropRedundantPrefixIndex1764120000000',
  'DropWriteOnlyAllocationKeys1764130000000',
  'AllocationRootCarrierHolderIndex1764140000000',
  'ImportRunOwner1764150000000',
  'MessageLabels1764160000000',
  'SignInAttempts1764170000000',
  'AuditRunCarrierTotals1764180000000',
  'FindingDetailCode1764200000000',
  'NoticeContentMediumText1764210000000',
  'FindingLinkIndexes1764215000000',
];
