import { z } from 'zod';
import type { ToolDefinition } from '../../cloud/catalogue/types.ts';

/**
 * The tools the gate can run, by name. Built from the cloud catalogue at startup; `register` lets
 * another module contribute tools (a duplicate name is a programming error and throws). Bounded by
 * the code that defines tools, never by input.
 */
export interface ToolCatalogue {
  get(name: string): ToolDefinition | undefined;
  list(): readonly ToolDefinition[];
  register(tools: readonly ToolDefinition[]): void;
  /** The input's JSON Schema (cached per tool). */
  inputSchema(tool: ToolDefinition): Record<string, unknown>;
}

export function createToolCatalogue(initial: readonly ToolDefinition[] = []): ToolCatalogue {
  const byName = new Map<string, ToolDefinition>();
  const schemas = new WeakMap<ToolDefinition, Record<string, unknown>>();
  const catalogue: ToolCatalogue = {
    get: (name) => byName.get(name),
    list: () => [...byName.values()],
    register(tools) {
      for (const t of tools) {
        if (byName.has(t.name)) throw new Error(`tool catalogue: duplicate tool name ${t.name}`);
        byName.set(t.name, t);
      }
    },
    inputSchema(tool) {
      if (tool.inputJsonSchema) return tool.inputJsonSchema;
      let s = schemas.get(tool);
      if (!s) {
        s = z.toJSONSchema(tool.input, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
        schemas.set(tool, s);
      }
      return s;
    },
  };
  catalogue.register(initial);
  return catalogue;
}

/**
 * Tools that exist per org rather than in code (an org's MCP servers). The gate asks the sources
 * for a name the catalogue does not know; `list` feeds the org's toolset (chat) and the listing.
 */
export interface ToolSource {
  /** Names this source owns (cheap check before any lookup), e.g. `name.includes('__')`. */
  owns(name: string): boolean;
  list(orgId: string): Promise<readonly ToolDefinition[]>;
  resolve(orgId: string, name: string): Promise<ToolDefinition | undefined>;
}

/** The sources registered by other modules; bounded by the code that registers them. */
export interface ToolSources {
  add(source: ToolSource): void;
  resolve(orgId: string, name: string): Promise<ToolDefinition | undefined>;
  list(orgId: string): Promise<ToolDefinition[]>;
}

export function createToolSources(): ToolSources {
  const sources: ToolSource[] = [];
  return {
    add: (source) => void sources.push(source),
    async resolve(orgId, name) {
      for (const s of sources) if (s.owns(name)) return s.resolve(orgId, name);
      return undefined;
    },
    async list(orgId) {
      return (await Promise.all(sources.map((s) => s.list(orgId)))).flat();
    },
  };
}
