import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { json } from '../../db/schema.ts';
import { toPage } from '../../db/database.ts';
import type { McpResourcesTable, McpServersTable, McpToolsTable } from './mcp.tables.ts';

export type ServerRow = Selectable<McpServersTable>;
export type ToolRow = Selectable<McpToolsTable>;
export type ResourceRow = Selectable<McpResourcesTable>;

/** Read bounds for the discovered catalogue (a misbehaving server must not flood memory). */
export const TOOLS_MAX = 1000;
export const RESOURCES_MAX = 5000;

export async function insertServer(ex: Executor, row: Insertable<McpServersTable>): Promise<ServerRow> {
  return ex.insertInto('mcp_servers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findServer(ex: Executor, orgId: string, id: string): Promise<ServerRow | undefined> {
  return ex.selectFrom('mcp_servers').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

export async function listServers(
  ex: Executor,
  orgId: string,
  page: { limit: number; offset: number },
): Promise<{ items: ServerRow[]; total: number }> {
  const rows = await ex
    .selectFrom('mcp_servers')
    .selectAll()
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId)
    .orderBy('name')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return toPage(rows);
}

export async function updateServer(
  ex: Executor,
  orgId: string,
  id: string,
  patch: Partial<Omit<ServerRow, 'id' | 'org_id' | 'created_at'>>,
): Promise<ServerRow | undefined> {
  return ex
    .updateTable('mcp_servers')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteServer(ex: Executor, orgId: string, id: string): Promise<boolean> {
  const r = await ex.deleteFrom('mcp_servers').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Replaces a server's cached tools: ONE DELETE and ONE multi-row INSERT (capped at TOOLS_MAX). */
export async function replaceTools(
  ex: Executor,
  orgId: string,
  serverId: string,
  tools: ReadonlyArray<{ name: string; description: string; inputSchema: unknown }>,
): Promise<void> {
  await ex.deleteFrom('mcp_tools').where('org_id', '=', orgId).where('server_id', '=', serverId).execute();
  const rows = tools.slice(0, TOOLS_MAX).map((t) => ({
    org_id: orgId,
    server_id: serverId,
    name: t.name,
    description: t.description,
    input_schema: json(t.inputSchema ?? {}),
  }));
  if (rows.length)
    await ex
      .insertInto('mcp_tools')
      .values(rows)
      .onConflict((oc) => oc.columns(['org_id', 'server_id', 'name']).doNothing())
      .execute();
}

/** Replaces a server's cached resources: ONE DELETE and ONE multi-row INSERT (capped at RESOURCES_MAX). */
export async function replaceResources(
  ex: Executor,
  orgId: string,
  serverId: string,
  resources: ReadonlyArray<{ uri: string; name: string; mimeType?: string | undefined }>,
): Promise<void> {
  await ex.deleteFrom('mcp_resources').where('org_id', '=', orgId).where('server_id', '=', serverId).execute();
  const rows = resources
    .slice(0, RESOURCES_MAX)
    .map((r) => ({ org_id: orgId, server_id: serverId, uri: r.uri, name: r.name, mime_type: r.mimeType ?? null }));
  if (rows.length)
    await ex
      .insertInto('mcp_resources')
      .values(rows)
      .onConflict((oc) => oc.columns(['org_id', 'server_id', 'uri']).doNothing())
      .execute();
}

/** An org's discovered tools with their server names (bounded). */
export async function listTools(ex: Executor, orgId: string): Promise<Array<ToolRow & { server_name: string }>> {
  return ex
    .selectFrom('mcp_tools')
    .innerJoin('mcp_servers', (j) =>
      j.onRef('mcp_servers.id', '=', 'mcp_tools.server_id').onRef('mcp_servers.org_id', '=', 'mcp_tools.org_id'),
    )
    .selectAll('mcp_tools')
    .select('mcp_servers.name as server_name')
    .where('mcp_tools.org_id', '=', orgId)
    .where('mcp_servers.enabled', '=', true)
    .orderBy('mcp_servers.name')
    .orderBy('mcp_tools.name')
    .limit(TOOLS_MAX)
    .execute();
}

export async function listResources(ex: Executor, orgId: string, serverId: string): Promise<ResourceRow[]> {
  return ex
    .selectFrom('mcp_resources')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('server_id', '=', serverId)
    .orderBy('uri')
    .limit(RESOURCES_MAX)
    .execute();
}
