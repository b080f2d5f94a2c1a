import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/database.ts';
import { countQueries } from '../../db/query-counter.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { createDefinitionsService, type DefinitionsService } from './definitions.service.ts';
import { actorInNewOrg, linearWorkflow } from './test-support.ts';
import * as repo from './definitions.repository.ts';
import { withTenant } from '../../db/tenant.ts';

let tdb: TestDatabase;
let database: Database;
let svc: DefinitionsService;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.settings);
  svc = createDefinitionsService({ db: () => database.db });
});
afterAll(async () => {
  await database.close();
  await tdb.drop();
});

describe('workflow definitions', () => {
  it('creates a draft at version 1 with its graph, in one data statement', async () => {
    const actor = await actorInNewOrg(database.db);
    const counted = await countQueries(() => svc.create(actor, { ...linearWorkflow('Web'), tags: ['web', 'compute'], description: 'd' }));
    const d = counted.result;
    expect(counted.data).toBe(1);
    expect(d).toMatchObject({
      name: 'Web',
      status: 'draft',
      current_version: 1,
      tags: ['web', 'compute'],
      created_by: actor.userId,
      org_id: actor.orgId,
    });
    expect(d.nodes.map((n) => n.id)).toEqual(['start', 't0', 'out']);
    expect(d.nodes[1]!.config).toEqual({ tool: 'list_instances', args: {} });
  });

  it('rejects an invalid graph with a 400 naming the node, writing nothing', async () => {
    const actor = await actorInNewOrg(database.db);
    const bad = linearWorkflow('Bad');
    bad.edges!.push({ source: 'out', target: 't0' });
    await expect(svc.create(actor, bad)).rejects.toMatchObject({
      statusCode: 400,
      code: 'WORKFLOW_INVALID',
      message: expect.stringMatching(/cycle: t0 → out → t0/),
    });
    await expect(
      svc.create(actor, {
        name: 'x',
        nodes: [
          { id: 'start', type: 'input' },
          { id: 'q', type: 'nope' },
        ],
        edges: [],
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/node 'q': unknown node type 'nope'/),
    });
    await expect(svc.create(actor, { name: '', nodes: [] })).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/nodes: .*; name: |name: .*; nodes: /),
    });
    expect((await svc.list(actor, { limit: 50, offset: 0 })).total).toBe(0);
  });

  it('a new graph becomes the next version and old versions stay readable', async () => {
    const actor = await actorInNewOrg(database.db);
    const d = await svc.create(actor, linearWorkflow('V'));
    const u = await svc.update(actor, d.id, { ...linearWorkflow('V', ['list_instances', 'list_buckets']), name: 'V2' });
    expect(u).toMatchObject({ name: 'V2', current_version: 2 });
    expect(u.nodes).toHaveLength(4);
    const v1 = await withTenant(database.db, actor.orgId, (tx) => repo.findVersion(tx, actor.orgId, d.id, 1));
    expect(v1!.nodes).toHaveLength(3);
    const meta = await svc.update(actor, d.id, { description: 'only metadata' });
    expect(meta).toMatchObject({ current_version: 2, description: 'only metadata' });
  });

  it('publishes, archives and deletes', async () => {
    const actor = await actorInNewOrg(database.db);
    const d = await svc.create(actor, linearWorkflow('P'));
    expect((await svc.setStatus(actor, d.id, 'published')).status).toBe('published');
    expect((await svc.setStatus(actor, d.id, 'archived')).status).toBe('archived');
    await svc.remove(actor, d.id);
    await expect(svc.get(actor, d.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("another org's definition is a 404 for every operation", async () => {
    const owner = await actorInNewOrg(database.db);
    const other = await actorInNewOrg(database.db);
    const d = await svc.create(owner, linearWorkflow('Mine'));
    await expect(svc.get(other, d.id)).rejects.toMatchObject({ statusCode: 404 });
    await expect(svc.update(other, d.id, { name: 'stolen' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(svc.update(other, d.id, linearWorkflow('stolen'))).rejects.toMatchObject({ statusCode: 404 });
    await expect(svc.setStatus(other, d.id, 'archived')).rejects.toMatchObject({ statusCode: 404 });
    await expect(svc.remove(other, d.id)).rejects.toMatchObject({ statusCode: 404 });
    expect((await svc.get(owner, d.id)).name).toBe('Mine');
  });

  it('lists a page with status filter and search in ONE query with the total', async () => {
    const actor = await actorInNewOrg(database.db);
    for (let i = 0; i < 7; i++) {
      const d = await svc.create(actor, {
        ...linearWorkflow(`Flow ${i}`),
        tags: i === 3 ? ['special'] : [],
        description: i === 5 ? 'backup 100%_done' : '',
      });
      if (i % 2 === 0) await svc.setStatus(actor, d.id, 'published');
    }
    await svc.create(await actorInNewOrg(database.db), linearWorkflow('Flow other org'));

    const all = await countQueries(() => svc.list(actor, { limit: 3, offset: 0 }));
    expect(all.data).toBe(1);
    expect(all.statements.filter((s) => /count\(\*\) over\(\)/.test(s) && /limit/i.test(s) && /offset/i.test(s))).toHaveLength(1);
    expect(all.result.total).toBe(7);
    expect(all.result.items).toHaveLength(3);
    expect(all.result.items[0]).toMatchObject({ node_count: 3, edge_count: 2 });
    expect(all.result.items[0]).not.toHaveProperty('total');

    const page3 = await svc.list(actor, { limit: 3, offset: 6 });
    expect(page3).toMatchObject({ total: 7, items: [expect.anything()] });
    expect((await svc.list(actor, { limit: 50, offset: 0, status: 'published' })).total).toBe(4);
    expect((await svc.list(actor, { limit: 50, offset: 0, search: 'flow 1' })).items.map((d) => d.name)).toEqual(['Flow 1']);
    expect((await svc.list(actor, { limit: 50, offset: 0, search: 'special' })).items.map((d) => d.name)).toEqual(['Flow 3']);
    expect((await svc.list(actor, { limit: 50, offset: 0, search: '100%_' })).items.map((d) => d.name)).toEqual(['Flow 5']);
    expect((await svc.list(actor, { limit: 50, offset: 0, search: '%' })).total).toBe(1);
    expect(await svc.list(actor, { limit: 50, offset: 100 })).toEqual({ items: [], total: 0 });
  });
});
