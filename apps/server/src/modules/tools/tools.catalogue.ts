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
