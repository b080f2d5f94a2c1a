import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../index.ts';
import { createSecretBox } from '../../lib/crypto.ts';
import { createConnectionManager } from './connection-manager.ts';
import { createMcpService, type McpService } from './mcp.service.ts';
import { mcpRoutes } from './mcp.routes.ts';
import { createMcpToolSource } from './mcp.tool-source.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** MCP connections: the discovered tools join the agent's toolset through the tool gate. */
    mcp: McpService;
  }
}

/** Wires MCP connections: the bounded connection manager (closed on shutdown), the service, routes, metrics. */
export async function registerMcp(app: FastifyInstance, ctx: ModuleContext): Promise<void> {
  const connections = createConnectionManager({ maxClients: ctx.config.mcp.maxClients });
  const service = createMcpService({
    db: () => app.db,
    cache: app.cache,
    box: createSecretBox(ctx.secret),
    connections,
    stdioCommands: ctx.config.mcp.stdioCommands,
  });
  app.decorate('mcp', service);
  app.tools.addSource(createMcpToolSource(service));
  app.metrics.gauge('cloudnow_mcp_clients', 'Live MCP clients in this process', () => connections.size());
  app.addHook('onClose', async () => connections.closeAll());
  await mcpRoutes(app, service);
}
