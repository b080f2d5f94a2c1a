import type { Migration } from 'kysely/migration';
import * as m20261203000000 from './20261203000000_foundation.ts';
import * as m20261203100000 from './20261203100000_identity.ts';
import * as m20261203110000 from './20261203110000_idp.ts';
import * as m20261203200000 from './20261203200000_cloud.ts';
import * as m20261203300000 from './20261203300000_tools.ts';
import * as m20261203400000 from './20261203400000_chat.ts';
import * as m20261203410000 from './20261203410000_ai_providers.ts';
import * as m20261203420000 from './20261203420000_vector_indexes.ts';
import * as m20261203430000 from './20261203430000_webhooks.ts';
import * as m20261203440000 from './20261203440000_mcp.ts';
import * as m20261203450000 from './20261203450000_findings.ts';
import * as m20261203500000 from './20261203500000_workflows.ts';
import * as m20261203600000 from './20261203600000_search_documents.ts';

/**
 * Every migration, by name, in order. A static list (rather than a folder scan) so the set is
 * explicit, bundles cleanly and runs the same from source or from a build.
 */
export const migrations: Record<string, Migration> = {
  '20261203000000_foundation': m20261203000000,
  '20261203100000_identity': m20261203100000,
  '20261203110000_idp': m20261203110000,
  '20261203200000_cloud': m20261203200000,
  '20261203300000_tools': m20261203300000,
  '20261203400000_chat': m20261203400000,
  '20261203410000_ai_providers': m20261203410000,
  '20261203420000_vector_indexes': m20261203420000,
  '20261203430000_webhooks': m20261203430000,
  '20261203440000_mcp': m20261203440000,
  '20261203450000_findings': m20261203450000,
  '20261203500000_workflows': m20261203500000,
  '20261203600000_search_documents': m20261203600000,
};
