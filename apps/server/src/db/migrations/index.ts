import type { Migration } from 'kysely/migration';
import * as m20261203000000 from './20261203000000_foundation.ts';
import * as m20261203110000 from './20261203110000_idp.ts';

/**
 * Every migration, by name, in order. A static list (rather than a folder scan) so the set is
 * explicit, bundles cleanly and runs the same from source or from a build.
 */
export const migrations: Record<string, Migration> = {
  '20261203000000_foundation': m20261203000000,
  '20261203110000_idp': m20261203110000,
};
