import { assertInputSchema } from './input-schema.ts';
import type { Kysely } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import * as repo from './definitions.repository.ts';
import { validateGraph } from './validation.ts';
import { WorkflowInvalid, WorkflowNotFound } from './workflows.errors.ts';
import {
  createDefinitionBody,
  updateDefinitionBody,
  type CreateDefinitionInput,
  type ListDefinitionsQuery,
  type UpdateDefinitionInput,
  type WorkflowEdge,
} from './workflows.schemas.ts';
import type { DefinitionStatus } from './workflows.tables.ts';
import { formatIssues } from '../../plugins/errors.ts';
import type { EventBus } from '../../plugins/events.ts';

/** Validates a graph or throws WORKFLOW_INVALID (400) naming the nodes at fault. */
export function checkedGraph(
  nodes: Parameters<typeof validateGraph>[0],
  edges: readonly WorkflowEdge[],
  inputSchema: Record<string, unknown> | null | undefined,
): repo.Graph {
  const r = validateGraph(nodes, edges);
  if (!r.ok) throw new WorkflowInvalid(r.issues.map((i) => i.message).join('; '));
  assertInputSchema(inputSchema);
  return { nodes: r.nodes, edges: r.edges, inputSchema: inputSchema ?? null };
}

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: any[] } } },
  v: unknown,
): T {
  const r = schema.safeParse(v);
  if (!r.success) throw new WorkflowInvalid(formatIssues(r.error.issues));
  return r.data;
}

/** Definitions: CRUD with immutable versions, publish/archive. Every call is tenant-scoped. */
export function createDefinitionsService(deps: { db: () => Kysely<DB>; events?: Pick<EventBus, 'publish'> }) {
  const tenant = <T>(actor: Actor, fn: Parameters<typeof withTenant<T>>[2]): Promise<T> => withTenant(deps.db(), actor.orgId, fn);
  /** After commit: `workflow.definition` on the bus (the search indexer listens). */
  const changed = async <T extends { id: string }>(actor: Actor, d: T, change: 'saved' | 'deleted' = 'saved'): Promise<T> => {
    await deps.events?.publish('workflow.definition', { orgId: actor.orgId, definitionId: d.id, change });
    return d;
  };
  return {
    /** Creates a draft at version 1; the graph must validate. */
    async create(actor: Actor, input: CreateDefinitionInput): Promise<repo.DefinitionWithGraph> {
      const body = parse(createDefinitionBody, input);
      const graph = checkedGraph(body.nodes, body.edges, body.inputSchema);
      const created = await tenant(actor, (tx) =>
        repo.insertDefinition(tx, {
          orgId: actor.orgId,
          name: body.name,
          description: body.description,
          tags: body.tags,
          createdBy: actor.userId,
          graph,
        }),
      );
      return changed(actor, created);
    },

    /** One definition with its current graph; 404 when it is not the actor's org's. */
    async get(actor: Actor, id: string): Promise<repo.DefinitionWithGraph> {
      const d = await tenant(actor, (tx) => repo.findDefinition(tx, actor.orgId, id));
      if (!d) throw new WorkflowNotFound(id);
      return d;
    },

    /** A page of the org's definitions (one query: rows and total). */
    async list(actor: Actor, q: ListDefinitionsQuery) {
      return tenant(actor, (tx) => repo.listDefinitions(tx, actor.orgId, q));
    },

    /** Updates metadata; a new graph becomes the next version (runs keep the version they pinned). */
    async update(actor: Actor, id: string, input: UpdateDefinitionInput): Promise<repo.DefinitionWithGraph> {
      const body = parse(updateDefinitionBody, input);
      const updated = await tenant(actor, async (tx) => {
        let graph: repo.Graph | undefined;
        if (body.nodes || body.edges || body.inputSchema !== undefined) {
          const current = await repo.findDefinition(tx, actor.orgId, id);
          if (!current) throw new WorkflowNotFound(id);
          graph = checkedGraph(
            body.nodes ?? current.nodes,
            body.edges ?? current.edges,
            body.inputSchema === undefined ? current.input_schema : body.inputSchema,
          );
        }
        const row = await repo.updateDefinition(tx, actor.orgId, id, {
          name: body.name,
          description: body.description,
          tags: body.tags,
          ...(graph ? { graph } : {}),
        });
        if (!row) throw new WorkflowNotFound(id);
        return (await repo.findDefinition(tx, actor.orgId, id))!;
      });
      return changed(actor, updated);
    },

    /** Sets the status (publish / archive / back to draft). */
    async setStatus(actor: Actor, id: string, status: DefinitionStatus): Promise<repo.DefinitionWithGraph> {
      const updated = await tenant(actor, async (tx) => {
        const row = await repo.updateDefinition(tx, actor.orgId, id, { status });
        if (!row) throw new WorkflowNotFound(id);
        return (await repo.findDefinition(tx, actor.orgId, id))!;
      });
      return changed(actor, updated);
    },

    /** Deletes a definition with its versions, runs and schedule. */
    async remove(actor: Actor, id: string): Promise<void> {
      const ok = await tenant(actor, (tx) => repo.deleteDefinition(tx, actor.orgId, id));
      if (!ok) throw new WorkflowNotFound(id);
      await changed(actor, { id }, 'deleted');
    },
  };
}

export type DefinitionsService = ReturnType<typeof createDefinitionsService>;
