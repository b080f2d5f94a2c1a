import type { StorageOps } from '../provider.ts';
import { pageOf, type OciContext } from './context.ts';
import * as slim from './slim.ts';

/** Buckets are fetched with these extra fields (counts and sizes are not in the list summary). */
const BUCKET_FIELDS = ['approximateCount', 'approximateSize'] as any;

/** Maps with at most `n` calls in flight (order kept), so a long bucket list cannot flood OCI. */
export async function mapLimit<S, T>(items: S[], n: number, fn: (s: S) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** Object storage and autonomous databases through the OCI SDK. */
export function ociStorageOps(x: OciContext): StorageOps {
  let namespace: Promise<string> | null = null;
  const ns = (): Promise<string> => {
    namespace ??= x.call('object storage', 'get namespace', 'the namespace', async (c) => (await c.objectStorage.getNamespace({})).value);
    namespace.catch(() => (namespace = null));
    return namespace;
  };
  const getBucket = (name: string) =>
    ns().then((namespaceName) =>
      x.call('object storage', 'get bucket', `bucket ${name}`, async (c) =>
        slim.bucket((await c.objectStorage.getBucket({ namespaceName, bucketName: name, fields: BUCKET_FIELDS })).bucket),
      ),
    );
  return {
    getNamespace: ns,
    // The list summary lacks public access and size: each listed bucket (≤ limit) is read too.
    listBuckets: async (o) => {
      const namespaceName = await ns();
      const names = await x.call('object storage', 'list buckets', 'the compartment', async (c) => {
        const r = await c.objectStorage.listBuckets({ namespaceName, compartmentId: x.compartment(c, o), limit: x.limit(o) });
        return r.items.map((b) => b.name);
      });
      const items = await mapLimit(names, 8, getBucket);
      return { items, count: items.length };
    },
    getBucket,
    createBucket: async (s) => {
      const namespaceName = await ns();
      return x.call('object storage', 'create bucket', `bucket ${s.name}`, async (c) => {
        const details = {
          name: s.name,
          compartmentId: s.compartmentId ?? c.compartmentId,
          publicAccessType: s.publicAccessType as any,
          storageTier: s.storageTier as any,
        };
        return slim.bucket((await c.objectStorage.createBucket({ namespaceName, createBucketDetails: details })).bucket);
      });
    },
    deleteBucket: async (name) => {
      const namespaceName = await ns();
      await x.call('object storage', 'delete bucket', `bucket ${name}`, (c) =>
        c.objectStorage.deleteBucket({ namespaceName, bucketName: name }),
      );
      return { deleted: true as const, name };
    },
    setBucketPublicAccess: async (name, publicAccessType) => {
      const namespaceName = await ns();
      return x.call('object storage', 'update bucket', `bucket ${name}`, async (c) =>
        slim.bucket(
          (
            await c.objectStorage.updateBucket({
              namespaceName,
              bucketName: name,
              updateBucketDetails: { publicAccessType: publicAccessType as any },
            })
          ).bucket,
        ),
      );
    },
    listObjects: async (bucket, o) => {
      const namespaceName = await ns();
      return x.call('object storage', 'list objects', `bucket ${bucket}`, async (c) => {
        const r = await c.objectStorage.listObjects({
          namespaceName,
          bucketName: bucket,
          prefix: o?.prefix,
          limit: x.limit(o),
          fields: 'name,size,timeModified,storageTier',
        });
        return pageOf(r.listObjects.objects, slim.object, x.limit(o));
      });
    },

    listAutonomousDatabases: (o) =>
      x.call('database', 'list autonomous databases', 'the compartment', async (c) =>
        pageOf(
          (await c.database.listAutonomousDatabases({ compartmentId: x.compartment(c, o), limit: x.limit(o) })).items,
          slim.adb,
          x.limit(o),
        ),
      ),
    getAutonomousDatabase: (id) =>
      x.call('database', 'get autonomous database', `autonomous database ${id}`, async (c) =>
        slim.adb((await c.database.getAutonomousDatabase({ autonomousDatabaseId: id })).autonomousDatabase),
      ),
    autonomousDatabaseAction: (id, action) =>
      x.call('database', `${action.toLowerCase()} autonomous database`, `autonomous database ${id}`, async (c) => {
        const r =
          action === 'START'
            ? await c.database.startAutonomousDatabase({ autonomousDatabaseId: id })
            : await c.database.stopAutonomousDatabase({ autonomousDatabaseId: id });
        return slim.adb(r.autonomousDatabase);
      }),
    listAutonomousDatabaseBackups: (id, o) =>
      x.call('database', 'list autonomous database backups', `autonomous database ${id}`, async (c) =>
        pageOf(
          (await c.database.listAutonomousDatabaseBackups({ autonomousDatabaseId: id, limit: x.limit(o) })).items,
          slim.adbBackup,
          x.limit(o),
        ),
      ),
    createAutonomousDatabaseBackup: (id, name) =>
      x.call('database', 'create autonomous database backup', `autonomous database ${id}`, async (c) =>
        slim.adbBackup(
          (
            await c.database.createAutonomousDatabaseBackup({
              createAutonomousDatabaseBackupDetails: { autonomousDatabaseId: id, displayName: name },
            })
          ).autonomousDatabaseBackup,
        ),
      ),
  };
}
