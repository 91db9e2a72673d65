/**
 * Completes USCCs for test data: prints each 17-character body given on the command line with
 * its check character (GB 32100-2015), e.g.
 *   npx tsx scripts/uscc-complete.ts 11370100MB0281337 91370102MA3C7Q2T8
 */
import { usccCheckCharacter } from '../server/numbering/uscc.ts';

for (const body of process.argv.slice(2)) console.log(body + usccCheckCharacter(body.toUpperCase()));
