import { z } from 'zod';
import { bucketName, compartmentId, limit, listInput } from './common.ts';
import { defineTool, type ToolDefinition } from './types.ts';

const publicAccessType = z
  .enum(['NoPublicAccess', 'ObjectRead', 'ObjectReadWithoutList'])
  .describe('Public access: NoPublicAccess, ObjectRead or ObjectReadWithoutList');

/** Object storage tools: namespace, buckets (incl. public access) and objects. */
export const storageTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'get_object_storage_namespace',
    description: 'Get the Object Storage namespace of the tenancy.',
    category: 'storage',
    risk: 'read',
    changes: '',
    input: z.strictObject({}),
    execute: async (ctx) => ({ namespace: await ctx.cloud.getNamespace() }),
  }),
  defineTool({
    name: 'list_buckets',
    description: 'List Object Storage buckets with public access, tier and approximate size.',
    category: 'storage',
    risk: 'read',
    changes: '',
    input: listInput,
    execute: (ctx, a) => ctx.cloud.listBuckets(a),
  }),
  defineTool({
    name: 'get_bucket',
    description: 'Get one bucket by name.',
    category: 'storage',
    risk: 'read',
    changes: '',
    input: z.strictObject({ bucketName }),
    execute: (ctx, a) => ctx.cloud.getBucket(a.bucketName),
  }),
  defineTool({
    name: 'find_public_buckets',
    description: 'List the buckets whose objects anyone on the internet can read.',
    category: 'storage',
    risk: 'read',
    changes: '',
    input: z.strictObject({ compartmentId }),
    execute: async (ctx, a) => {
      const all = await ctx.cloud.listBuckets({ compartmentId: a.compartmentId, limit: 500 });
      const items = all.items.filter((b) => b.publicAccessType !== 'NoPublicAccess');
      return { items, count: items.length };
    },
  }),
  defineTool({
    name: 'create_bucket',
    description: 'Create an Object Storage bucket (private by default).',
    category: 'storage',
    risk: 'medium',
    changes: 'Creates a new bucket; stored objects are billed per GB-month.',
    input: z.strictObject({
      bucketName,
      compartmentId,
      publicAccessType: publicAccessType.optional(),
      storageTier: z.enum(['Standard', 'Archive']).optional().describe('Storage tier (default Standard)'),
    }),
    execute: (ctx, a) =>
      ctx.cloud.createBucket({
        name: a.bucketName,
        compartmentId: a.compartmentId,
        publicAccessType: a.publicAccessType,
        storageTier: a.storageTier,
      }),
  }),
  defineTool({
    name: 'delete_bucket',
    description: 'Delete an empty bucket.',
    category: 'storage',
    risk: 'critical',
    changes: 'Permanently deletes the bucket. This cannot be undone.',
    input: z.strictObject({ bucketName }),
    execute: (ctx, a) => ctx.cloud.deleteBucket(a.bucketName),
  }),
  defineTool({
    name: 'set_bucket_public_access',
    description: 'Make a bucket private (NoPublicAccess) or public (ObjectRead).',
    category: 'storage',
    risk: 'high',
    changes: 'Changes who can read the objects of the bucket; making it public exposes them to the internet.',
    input: z.strictObject({ bucketName, publicAccessType }),
    execute: (ctx, a) => ctx.cloud.setBucketPublicAccess(a.bucketName, a.publicAccessType),
  }),
  defineTool({
    name: 'list_objects',
    description: 'List the objects of a bucket, optionally under a prefix.',
    category: 'storage',
    risk: 'read',
    changes: '',
    input: z.strictObject({ bucketName, prefix: z.string().max(1024).optional().describe('Only object names starting with this'), limit }),
    execute: (ctx, a) => ctx.cloud.listObjects(a.bucketName, { prefix: a.prefix, limit: a.limit }),
  }),
];
