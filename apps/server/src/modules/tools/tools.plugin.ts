import fp from 'fastify-plugin';
import type { ToolDefinition } from '../../cloud/catalogue/types.ts';
import type { CloudProvider } from '../../cloud/provider.ts';
import { createToolCatalogue, createToolSources, type ToolCatalogue, type ToolSource } from './tools.catalogue.ts';
import type { Actor } from '@cloudnow/shared';
import type { ApprovalView } from '../approvals/approvals.service.ts';
import { createToolGate, type GateCall, type GateResult, type ToolGate } from './tools.gate.ts';
import { runAwaitingApproval } from './tools.await.ts';
import { createToolCatalogueService, createToolPolicyService, type ToolCatalogueService, type ToolPolicyService } from './tools.service.ts';
import { toolRoutes } from './tools.routes.ts';

/** The tools module as other modules (chat, workflows, MCP) use it. */
export interface ToolsModule {
  /** THE way a tool runs. */
  gate: ToolGate;
  /** `gate.run`, and on a pending approval: wait for the decision, then run with it (chat). */
  runAwaitingApproval(actor: Actor, call: GateCall, onPending?: (approval: ApprovalView) => void | Promise<void>): Promise<GateResult>;
  catalogue: ToolCatalogue;
  /** Adds per-org tools (an org's MCP servers) to the gate, the listing and `forOrg`. */
  addSource(source: ToolSource): void;
  /** Every tool an org can run: the catalogue plus its per-org tools (the agent's toolset). */
  forOrg(orgId: string): Promise<ToolDefinition[]>;
  listing: ToolCatalogueService;
  policies: ToolPolicyService;
}

declare module 'fastify' {
  interface FastifyInstance {
    tools: ToolsModule;
  }
}

/** What the tools module is built from: the catalogue and the tenancy adapter per org. */
export interface ToolsModuleDeps {
  tools: readonly ToolDefinition[];
  cloud: (orgId: string) => CloudProvider;
  /** Per-execution deadline (default 30 s). */
  timeoutMs?: number;
}

/**
 * Builds the tools module: catalogue, cached org policies, the gate (wired to `app.approvals` and
 * `app.audit`) and the `/api/v1/tools` + `/api/admin/tool-policies` routes. Decorates `app.tools`.
 */
export function createToolsModule(deps: ToolsModuleDeps) {
  return fp(
    async (app) => {
      const catalogue = createToolCatalogue(deps.tools);
      const sources = createToolSources();
      const policies = createToolPolicyService({ db: () => app.db, cache: app.cache });
      const gate = createToolGate({
        tools: catalogue,
        sources,
        cloud: deps.cloud,
        policies,
        approvals: app.approvals,
        audit: app.audit,
        log: app.log,
        ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
      });
      const listing = createToolCatalogueService({ catalogue, sources, policies });
      const approvals = app.approvals;
      app.decorate('tools', {
        gate,
        catalogue,
        addSource: (source) => sources.add(source),
        forOrg: async (orgId) => [...catalogue.list(), ...(await sources.list(orgId))],
        listing,
        policies,
        runAwaitingApproval: (actor, call, onPending) => runAwaitingApproval({ gate, approvals }, actor, call, onPending),
      });
      await app.register(toolRoutes, { gate, catalogue: listing, policies });
    },
    { name: 'tools', dependencies: ['db', 'cache', 'approvals', 'audit'] },
  );
}
