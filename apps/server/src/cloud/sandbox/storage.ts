import type { StorageOps } from '../provider.ts';
import { CloudBadRequest, CloudConflict } from '../errors.ts';
import { clampLimit, type ObjectSummary } from '../types.ts';
import { TRANSITION_MS, type SandboxContext } from './context.ts';
import { toAdb, toAdbBackup, toBucket } from './mappers.ts';
import { namespaceOf } from './seed.ts';
import { sandboxRepository as repo } from './sandbox.repository.ts';

/** OCI's bucket-name rule: letters, digits, dashes, underscores and dots, 1–256 characters. */
const BUCKET_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

/** Object storage (buckets, objects) and autonomous databases (incl. backups, start/stop). */
export function storageOps(ctx: SandboxContext): StorageOps {
  return {
    getNamespace: async () => namespaceOf(ctx.orgId),
    listBuckets: (o) => ctx.list({ kind: 'bucket' }, o, toBucket),
    getBucket: (name) => ctx.get('bucket', name, 'Bucket', toBucket),
    createBucket: async (spec) => {
      if (!BUCKET_NAME.test(spec.name)) throw new CloudBadRequest(`name: ${spec.name} is not a valid bucket name`);
      try {
        return await ctx.create(async (tx, now) => {
          if (await repo.get(tx, ctx.orgId, 'bucket', spec.name, now))
            throw new CloudConflict(`A bucket named ${spec.name} already exists`);
          const data = {
            namespace: namespaceOf(ctx.orgId),
            publicAccessType: spec.publicAccessType ?? 'NoPublicAccess',
            storageTier: spec.storageTier ?? 'Standard',
            versioning: 'Disabled',
            objects: [],
          };
          return [{ kind: 'bucket', name: spec.name, state: 'ACTIVE', compartmentId: spec.compartmentId ?? ctx.tenancyId, data }];
        }, toBucket);
      } catch (err) {
        // Two concurrent creates of one name: the partial unique index answers for the loser.
        if ((err as { code?: string }).code === '23505') throw new CloudConflict(`A bucket named ${spec.name} already exists`);
        throw err;
      }
    },
    deleteBucket: (name) =>
      ctx.run(async (tx, now) => {
        const b = await ctx.must(tx, 'bucket', name, 'Bucket', now);
        const objects = (b.data.objects as unknown[]) ?? [];
        if (objects.length > 0)
          throw new CloudConflict(`Bucket ${name} is not empty (${objects.length} objects); delete its objects first`);
        await repo.delete(tx, ctx.orgId, 'bucket', name);
        return { deleted: true as const, name };
      }),
    setBucketPublicAccess: (name, publicAccessType) =>
      ctx.transition('bucket', name, 'Bucket', { from: null, patch: { publicAccessType } }, toBucket),
    listObjects: (bucket, o) =>
      ctx.get('bucket', bucket, 'Bucket', (r) => {
        const all = ((r.data.objects as ObjectSummary[]) ?? []).filter((x) => !o?.prefix || x.name.startsWith(o.prefix));
        return { items: all.slice(0, clampLimit(o?.limit)), count: all.length };
      }),

    listAutonomousDatabases: (o) => ctx.list({ kind: 'adb' }, o, toAdb),
    getAutonomousDatabase: (id) => ctx.get('adb', id, 'Autonomous database', toAdb),
    autonomousDatabaseAction: (id, action) => {
      const t =
        action === 'STOP'
          ? { from: ['AVAILABLE'], state: 'STOPPING', then: { state: 'STOPPED', afterMs: TRANSITION_MS.adb } }
          : { from: ['STOPPED'], state: 'STARTING', then: { state: 'AVAILABLE', afterMs: TRANSITION_MS.adb } };
      return ctx.transition('adb', id, 'Autonomous database', t, toAdb, action.toLowerCase());
    },
    listAutonomousDatabaseBackups: (id, o) =>
      ctx.run(async (tx, now) => {
        await ctx.must(tx, 'adb', id, 'Autonomous database', now);
        const { rows, count } = await repo.list(
          tx,
          ctx.orgId,
          { kind: 'adb_backup', dataEq: { autonomousDatabaseId: id } },
          now,
          clampLimit(o?.limit),
        );
        return { items: rows.map(toAdbBackup), count };
      }),
    createAutonomousDatabaseBackup: (id, name) =>
      ctx.create(async (tx, now) => {
        const adb = await ctx.must(tx, 'adb', id, 'Autonomous database', now);
        if (adb.state !== 'AVAILABLE') throw new CloudConflict(`Cannot back up ${adb.name} while it is ${adb.state}`);
        const data = {
          autonomousDatabaseId: id,
          type: 'FULL',
          timeStarted: now.toISOString(),
          timeEnded: new Date(now.getTime() + TRANSITION_MS.backup).toISOString(),
        };
        return [
          {
            kind: 'adb_backup',
            name,
            state: 'CREATING',
            compartmentId: adb.compartment_id,
            data,
            then: { state: 'ACTIVE', afterMs: TRANSITION_MS.backup },
          },
        ];
      }, toAdbBackup),
  };
}
