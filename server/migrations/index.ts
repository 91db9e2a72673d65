import { InitialSchema1764050000000 } from './1764050000000-InitialSchema.ts';

/** Every migration, oldest first. Listed by hand so no file glob is needed under tsx/ESM. */
export const migrations = [InitialSchema1764050000000];
