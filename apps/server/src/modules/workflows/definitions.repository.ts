import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { json } from '../../db/schema.ts';
import { totalOf } from '../../db/database.ts';
import type { DefinitionStatus, WorkflowDefinitionsTable, WorkflowVersionsTable } from './workflows.tables.ts';
import type { WorkflowEdge, WorkflowNode } from './workflows.schemas.ts';

export type DefinitionRow = Selectable<WorkflowDefinitionsTable>;
export type VersionRow = Selectable<WorkflowVersionsTable>;
/** A definition with the graph of its current version. */
export type DefinitionWithGraph = DefinitionRow & Pick<VersionRow, 'nodes' | 'edges' | 'input_schema'>;

/** The graph of one version. */
export interface Graph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  inputSchema: Record<string, unknown> | null;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Inserts a definition and its version 1 in ONE statement (a data-modifying CTE). */
export async function insertDefinition(
  ex: Executor,
  d: { orgId: string; name: string; description: string; tags: string[]; createdBy: string; graph: Graph },
): Promise<DefinitionWithGraph> {
  const r = await sql<DefinitionWithGraph>`
    with d as (
      insert into workflow_definitions (org_id, name, description, tags, created_by)
      values (${d.orgId}, ${d.name}, ${d.description}, ${d.tags}::text[], ${d.createdBy})
      returning *
    ), v as (
      insert into workflow_versions (org_id, definition_id, version, nodes, edges, input_schema)
      select d.org_id, d.id, 1, ${json(d.graph.nodes)}::jsonb, ${json(d.graph.edges)}::jsonb, ${d.graph.inputSchema ? json(d.graph.inputSchema) : null}::jsonb
      from d
      returning nodes, edges, input_schema
    )
    select d.*, v.nodes, v.edges, v.input_schema from d, v`.execute(ex);
  return r.rows[0]!;
}

/** One definition with its current version's graph, or undefined. */
export async function findDefinition(ex: Executor, orgId: string, id: string): Promise<DefinitionWithGraph | undefined> {
  return ex
    .selectFrom('workflow_definitions as d')
    .innerJoin('workflow_versions as v', (j) =>
      j.onRef('v.definition_id', '=', 'd.id').onRef('v.version', '=', 'd.current_version').onRef('v.org_id', '=', 'd.org_id'),
    )
    .selectAll('d')
    .select(['v.nodes', 'v.edges', 'v.input_schema'])
    .where('d.org_id', '=', orgId)
    .where('d.id', '=', id)
    .executeTakeFirst();
}

/** One pinned version (what a run executes). */
export async function findVersion(ex: Executor, orgId: string, definitionId: string, version: number): Promise<VersionRow | undefined> {
  return ex
    .selectFrom('workflow_versions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('definition_id', '=', definitionId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** A summary row of a list: the definition with its node and edge counts. */
export type DefinitionSummary = DefinitionRow & { node_count: number; edge_count: number };

/** A page of an org's definitions, newest first, with the total from the same query. */
export async function listDefinitions(
  ex: Executor,
  orgId: string,
  page: { limit: number; offset: number; status?: DefinitionStatus | undefined; search?: string | undefined },
): Promise<{ items: DefinitionSummary[]; total: number }> {
  let q = ex
    .selectFrom('workflow_definitions as d')
    .innerJoin('workflow_versions as v', (j) =>
      j.onRef('v.definition_id', '=', 'd.id').onRef('v.version', '=', 'd.current_version').onRef('v.org_id', '=', 'd.org_id'),
    )
    .selectAll('d')
    .select([
      sql<number>`jsonb_array_length(v.nodes)`.as('node_count'),
      sql<number>`jsonb_array_length(v.edges)`.as('edge_count'),
      sql<string>`count(*) over()`.as('total'),
    ])
    .where('d.org_id', '=', orgId);
  if (page.status) q = q.where('d.status', '=', page.status);
  if (page.search) {
    const like = `%${escapeLike(page.search)}%`;
    q = q.where((eb) =>
      eb.or([eb('d.name', 'ilike', like), eb('d.description', 'ilike', like), eb(sql.val(page.search), '=', eb.fn.any('d.tags'))]),
    );
  }
  const rows = await q.orderBy('d.updated_at', 'desc').orderBy('d.id').limit(page.limit).offset(page.offset).execute();
  return {
    items: rows.map(({ total: _t, ...r }) => ({ ...r, node_count: Number(r.node_count), edge_count: Number(r.edge_count) })),
    total: totalOf(rows),
  };
}

/**
 * Updates metadata and, with a new graph, appends the next version and points the definition at
 * it — ONE statement either way. Returns the updated row, or undefined when the id is not the org's.
 */
export async function updateDefinition(
  ex: Executor,
  orgId: string,
  id: string,
  patch: {
    name?: string | undefined;
    description?: string | undefined;
    tags?: string[] | undefined;
    status?: DefinitionStatus;
    graph?: Graph;
  },
): Promise<DefinitionRow | undefined> {
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.tags !== undefined ? { tags: patch.tags } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
  };
  if (!patch.graph) {
    return ex
      .updateTable('workflow_definitions')
      .set({ ...set, updated_at: sql<Date>`now()` })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }
  const g = patch.graph;
  const r = await sql<DefinitionRow>`
    with d as (
      update workflow_definitions
         set name = coalesce(${set.name ?? null}, name),
             description = coalesce(${set.description ?? null}, description),
             tags = coalesce(${set.tags ?? null}::text[], tags),
             current_version = current_version + 1,
             updated_at = now()
       where org_id = ${orgId} and id = ${id}
      returning *
    ), v as (
      insert into workflow_versions (org_id, definition_id, version, nodes, edges, input_schema)
      select d.org_id, d.id, d.current_version, ${json(g.nodes)}::jsonb, ${json(g.edges)}::jsonb, ${g.inputSchema ? json(g.inputSchema) : null}::jsonb
      from d
    )
    select * from d`.execute(ex);
  return r.rows[0];
}

/** Deletes a definition (versions, runs and schedules cascade); false when not the org's. */
export async function deleteDefinition(ex: Executor, orgId: string, id: string): Promise<boolean> {
  const r = await ex.deleteFrom('workflow_definitions').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
