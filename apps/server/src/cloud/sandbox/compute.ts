import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ComputeOps } from '../provider.ts';
import { CloudBadRequest, CloudConflict } from '../errors.ts';
import { clampLimit, type InstanceAction } from '../types.ts';
import { IMAGES, SHAPES, findShape } from './catalog.ts';
import { TRANSITION_MS, type SandboxContext } from './context.ts';
import { toAttachment, toBlockVolume, toBootVolume, toInstance } from './mappers.ts';
import { ocid } from './ids.ts';

const ACTIONS: Record<InstanceAction, { from: string[]; state: string; then: string; afterMs: number }> = {
  STOP: { from: ['RUNNING'], state: 'STOPPING', then: 'STOPPED', afterMs: TRANSITION_MS.instanceStop },
  START: { from: ['STOPPED'], state: 'STARTING', then: 'RUNNING', afterMs: TRANSITION_MS.instanceStart },
  REBOOT: { from: ['RUNNING'], state: 'STARTING', then: 'RUNNING', afterMs: TRANSITION_MS.instanceReboot },
};

/** Resolves shape + size; flexible shapes take ocpus/memory (memory defaults to the shape's per-OCPU ratio). */
function sizeOf(shapeName: string, ocpus?: number, memoryGb?: number): { shape: string; ocpus: number; memoryGb: number } {
  const shape = findShape(shapeName);
  if (!shape) throw new CloudBadRequest(`Unknown shape ${shapeName}; list_shapes shows the available ones`);
  if (!shape.flexible) return { shape: shape.name, ocpus: shape.ocpus, memoryGb: shape.memoryGb };
  const o = ocpus ?? 1;
  const m = memoryGb ?? o * shape.memoryGb;
  if (o > (shape.maxOcpus ?? o) || m > (shape.maxMemoryGb ?? m)) {
    throw new CloudBadRequest(`${shape.name} allows at most ${shape.maxOcpus} OCPUs and ${shape.maxMemoryGb} GB`);
  }
  return { shape: shape.name, ocpus: o, memoryGb: m };
}

/** Compute: instances, shapes, images, boot and block volumes of the sandbox tenancy. */
export function computeOps(ctx: SandboxContext): ComputeOps {
  const ad1 = (): string => ctx.availabilityDomains[0]!;
  return {
    listInstances: (o) => ctx.list({ kind: 'instance', state: o?.lifecycleState }, o, toInstance),
    getInstance: (id) => ctx.get('instance', id, 'Instance', toInstance),
    instanceAction: (id, action) => {
      const a = ACTIONS[action];
      const t = { from: a.from, state: a.state, then: { state: a.then, afterMs: a.afterMs } };
      return ctx.transition('instance', id, 'Instance', t, toInstance, action.toLowerCase());
    },
    launchInstance: async (spec) => {
      const size = sizeOf(spec.shape, spec.ocpus, spec.memoryGb);
      const data = {
        ...size,
        availabilityDomain: spec.availabilityDomain ?? ad1(),
        faultDomain: 'FAULT-DOMAIN-1',
        imageId: spec.imageId ?? IMAGES[0]!.id,
        subnetId: spec.subnetId ?? null,
        profile: 'normal',
      };
      const then = { state: 'RUNNING', afterMs: TRANSITION_MS.instanceLaunch };
      const compartmentId = spec.compartmentId ?? ctx.tenancyId;
      return ctx.create([{ kind: 'instance', name: spec.name, state: 'PROVISIONING', compartmentId, data, then }], toInstance);
    },
    terminateInstance: (id) => {
      const t = {
        from: ['RUNNING', 'STOPPED', 'STOPPING', 'STARTING', 'PROVISIONING'],
        state: 'TERMINATING',
        then: { state: 'TERMINATED', afterMs: TRANSITION_MS.instanceTerminate },
      };
      return ctx.transition('instance', id, 'Instance', t, toInstance, 'terminate');
    },
    updateInstanceShape: (id, s) =>
      ctx.transition(
        'instance',
        id,
        'Instance',
        { from: ['RUNNING', 'STOPPED'], patch: sizeOf(s.shape, s.ocpus, s.memoryGb) },
        toInstance,
        'resize',
      ),
    listShapes: async (o) => page(SHAPES, o?.limit),
    listImages: async (o) => {
      const os = o?.operatingSystem?.toLowerCase();
      return page(os ? IMAGES.filter((i) => i.operatingSystem.toLowerCase().includes(os)) : IMAGES, o?.limit);
    },
    listAvailabilityDomains: async () => ({ items: ctx.availabilityDomains.map((name) => ({ name })), count: 3 }),
    listBootVolumes: (o) => ctx.list({ kind: 'boot_volume' }, o, toBootVolume),
    listBlockVolumes: (o) => ctx.list({ kind: 'volume', dataNull: o?.unattachedOnly ? 'attachment' : undefined }, o, toBlockVolume),
    createBlockVolume: async (spec) => {
      const data = {
        availabilityDomain: spec.availabilityDomain ?? ad1(),
        sizeGb: spec.sizeGb,
        vpusPerGb: spec.vpusPerGb ?? 10,
        attachment: null,
      };
      const then = { state: 'AVAILABLE', afterMs: TRANSITION_MS.volume };
      return ctx.create(
        [{ kind: 'volume', name: spec.name, state: 'PROVISIONING', compartmentId: spec.compartmentId ?? ctx.tenancyId, data, then }],
        toBlockVolume,
      );
    },
    deleteBlockVolume: (id) => {
      const t = {
        from: ['AVAILABLE'],
        state: 'TERMINATING',
        then: { state: 'TERMINATED', afterMs: TRANSITION_MS.volume },
        requireNull: 'attachment',
      };
      return ctx.transition('volume', id, 'Block volume', t, toBlockVolume, 'delete');
    },
    listVolumeAttachments: (o) => ctx.list({ kind: 'volume', dataNotNull: 'attachment', attachedTo: o?.instanceId }, o, toAttachment),
    attachBlockVolume: (instanceId, volumeId) =>
      ctx.run(async (tx, now) => {
        const inst = await ctx.must(tx, 'instance', instanceId, 'Instance', now);
        if (!['RUNNING', 'STOPPED'].includes(inst.state))
          throw new CloudConflict(`Cannot attach a volume to ${inst.name} while it is ${inst.state}`);
        const attachment = {
          id: ocid('volumeattachment', ctx.orgId, volumeId, instanceId, randomUUID()),
          instanceId,
          attachmentType: 'paravirtualized',
          lifecycleState: 'ATTACHED',
        };
        const t = { from: ['AVAILABLE'], patch: { attachment }, requireNull: 'attachment' };
        return ctx.transitionIn(tx, now, 'volume', volumeId, 'Block volume', t, toAttachment, 'attach');
      }),
    // One UPDATE: the old attachment is kept as `lastAttachment` so the answer can describe it.
    detachBlockVolume: (attachmentId) =>
      ctx.transition(
        'volume',
        attachmentId,
        'Volume attachment',
        { from: null, by: 'attachment', patch: sql`jsonb_build_object('lastAttachment', data->'attachment', 'attachment', null)` },
        (r) => ({ ...toAttachment({ ...r, data: { attachment: r.data.lastAttachment } }), lifecycleState: 'DETACHED' }),
      ),
  };
}

function page<T>(all: readonly T[], limit?: number): Promise<{ items: T[]; count: number }> {
  return Promise.resolve({ items: all.slice(0, clampLimit(limit)), count: all.length });
}
