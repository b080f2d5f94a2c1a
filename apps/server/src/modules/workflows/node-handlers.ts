import { generateText, type LanguageModel } from 'ai';
import type { Actor } from '@cloudnow/shared';
import { evaluateCondition, type Scope } from './expressions.ts';
import { renderString, renderValue } from './templating.ts';
import type { NodeConfig, ToolCall, WorkflowNode } from './workflows.schemas.ts';

/** A tool call as the workflow executor hands it to the tool gate. */
export interface ToolRequest {
  tool: string;
  args: Record<string, unknown>;
  via: 'workflow';
  runId: string;
  nodeId: string;
  signal: AbortSignal;
}

/** The port to the tool gate (`gate.run(actor, { tool, args, via: 'workflow', … })`). Throws on failure. */
export type ToolRunner = (actor: Actor, req: ToolRequest) => Promise<unknown>;
/**
 * Resolves a model id (`provider:model`) to an AI SDK model — the provider registry in production
 * (whose lookup is async, hence the optional promise).
 */
export type ModelResolver = (modelId: string) => LanguageModel | Promise<LanguageModel>;

/** What a node handler gets. `iteration` runs one loop iteration / parallel branch exactly once. */
export interface NodeContext {
  actor: Actor;
  runId: string;
  node: WorkflowNode;
  scope: Scope;
  signal: AbortSignal;
  runTool: ToolRunner;
  model: ModelResolver;
  iteration(index: number, fn: () => Promise<unknown>): Promise<unknown>;
}

/** A handler either finishes with an output or suspends the run (approval). */
export type NodeResult = { kind: 'done'; output: unknown } | { kind: 'suspend' };

const done = (output: unknown): NodeResult => ({ kind: 'done', output });

function callTool(ctx: NodeContext, call: ToolCall, scope: Scope): Promise<unknown> {
  const args = renderValue(call.args, scope) as Record<string, unknown>;
  return ctx.runTool(ctx.actor, { tool: call.tool, args, via: 'workflow', runId: ctx.runId, nodeId: ctx.node.id, signal: ctx.signal });
}

async function loop(ctx: NodeContext, c: NodeConfig<'loop'>): Promise<NodeResult> {
  const items = renderString(c.items, ctx.scope);
  if (!Array.isArray(items)) throw new Error(`loop items must resolve to an array, got ${items === null ? 'null' : typeof items}`);
  const kept = c.filter ? items.filter((item, index) => evaluateCondition(c.filter!, { ...ctx.scope, item, index })) : items;
  const list = kept.slice(0, c.maxIterations);
  const results: unknown[] = new Array(list.length);
  let stopped = false;
  let ran = 0;
  const one = async (index: number): Promise<void> => {
    const item = list[index];
    const result = await ctx.iteration(index + 1, () => callTool(ctx, c.body, { ...ctx.scope, item, index }));
    results[index] = result;
    ran = Math.max(ran, index + 1);
    if (c.breakWhen && evaluateCondition(c.breakWhen!, { ...ctx.scope, item, index, result })) stopped = true;
  };
  if (c.mode === 'sequential') {
    for (let i = 0; i < list.length && !stopped; i++) await one(i);
  } else {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!stopped && next < list.length) await one(next++);
    };
    await Promise.all(Array.from({ length: Math.min(c.concurrency, list.length) }, worker));
  }
  return done({
    results: results.slice(0, ran).map((r) => r ?? null),
    count: ran,
    stopped,
    truncated: kept.length > list.length,
    filtered: items.length - kept.length,
  });
}

async function parallel(ctx: NodeContext, c: NodeConfig<'parallel'>): Promise<NodeResult> {
  const runs = c.branches.map((b, i) =>
    ctx
      .iteration(i + 1, () => callTool(ctx, b, ctx.scope))
      .then(
        (output) => ({ branch: b.name ?? `${i}`, tool: b.tool, ok: true as const, output }),
        (err: unknown) => ({
          branch: b.name ?? `${i}`,
          tool: b.tool,
          ok: false as const,
          error: err instanceof Error ? err.message : String(err),
        }),
      ),
  );
  if (c.merge === 'first') {
    const first = await Promise.race(runs);
    if (!first.ok && c.errors === 'fail') throw new Error(`branch ${first.branch} failed: ${first.error}`);
    return done({ winner: first.branch, result: first.ok ? first.output : null, errors: first.ok ? [] : [first] });
  }
  if (c.merge === 'any') {
    try {
      const winner = await Promise.any(runs.map((p) => p.then((r) => (r.ok ? r : Promise.reject(new Error(r.error))))));
      return done({ winner: winner.branch, result: winner.output, errors: [] });
    } catch {
      const all = await Promise.all(runs);
      throw new Error(`every branch failed: ${all.map((r) => (r.ok ? '' : `${r.branch}: ${r.error}`)).join('; ')}`);
    }
  }
  const all = await Promise.all(runs);
  const errors = all.filter((r) => !r.ok);
  if (errors.length && c.errors === 'fail')
    throw new Error(`branch ${errors[0]!.branch} failed: ${(errors[0] as { error: string }).error}`);
  return done({
    results: all.map((r) => (r.ok ? r.output : null)),
    errors: errors.map((r) => ({ branch: r.branch, error: (r as { error: string }).error })),
  });
}

async function aiStep(ctx: NodeContext, c: NodeConfig<'ai-step'>): Promise<NodeResult> {
  const prompt = String(renderString(c.prompt, ctx.scope));
  const system = c.system ? String(renderString(c.system, ctx.scope)) : undefined;
  const r = await generateText({
    model: await ctx.model(c.model),
    prompt,
    ...(system ? { system } : {}),
    maxOutputTokens: c.maxOutputTokens,
    abortSignal: ctx.signal,
  });
  if (c.output === 'text') return done({ text: r.text });
  try {
    return done({ object: JSON.parse(r.text.replace(/^```(?:json)?\s*|\s*```$/g, '')) as unknown, text: r.text });
  } catch {
    throw new Error('the model did not return valid JSON');
  }
}

/** Runs one node (the approval node only suspends; resuming happens through approve). */
export async function runNode(ctx: NodeContext): Promise<NodeResult> {
  const { node, scope } = ctx;
  const c = node.config as never;
  switch (node.type) {
    case 'input':
      return done(scope.input ?? {});
    case 'tool':
      return done(await callTool(ctx, c as NodeConfig<'tool'>, scope));
    case 'condition':
      return done({ result: evaluateCondition((c as NodeConfig<'condition'>).expression, scope) });
    case 'approval':
      return { kind: 'suspend' };
    case 'ai-step':
      return aiStep(ctx, c);
    case 'loop':
      return loop(ctx, c);
    case 'parallel':
      return parallel(ctx, c);
    case 'output':
      return done(renderValue((c as NodeConfig<'output'>).mapping, scope));
  }
}
