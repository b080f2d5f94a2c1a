import type { Migration } from 'kysely/migration';
import * as m20261203000000 from './20261203000000_foundation.ts';
import * as m20261203400000 from './20261203400000_chat.ts';
import * as m20261203500000 from './20261203500000_workflows.ts';

/**
 * Every migration, by name, in order. A static list (rather than a folder scan) so the set is
 * explicit, bundles cleanly and runs the same from source or from a build.
 */
export const migrations: Record<string, Migration> = {
  '20261203000000_foundation': m20261203000000,
  '20261203400000_chat': m20261203400000,
  '20261203500000_workflows': m20261203500000,
};
