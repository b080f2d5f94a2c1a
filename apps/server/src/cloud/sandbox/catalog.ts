import type { Image, Shape } from '../types.ts';
import { ocid } from './ids.ts';

/**
 * The region-wide catalogues the sandbox serves without storing them: compute shapes and platform
 * images. Static, identical for every org.
 */
export const SHAPES: readonly Shape[] = [
  { name: 'VM.Standard.E4.Flex', flexible: true, processor: 'AMD EPYC 7J13', ocpus: 1, memoryGb: 16, maxOcpus: 64, maxMemoryGb: 1024 },
  { name: 'VM.Standard.E5.Flex', flexible: true, processor: 'AMD EPYC 9J14', ocpus: 1, memoryGb: 12, maxOcpus: 94, maxMemoryGb: 1049 },
  { name: 'VM.Standard.A1.Flex', flexible: true, processor: 'Ampere Altra', ocpus: 1, memoryGb: 6, maxOcpus: 80, maxMemoryGb: 512 },
  { name: 'VM.Standard3.Flex', flexible: true, processor: 'Intel Xeon 8358', ocpus: 1, memoryGb: 16, maxOcpus: 32, maxMemoryGb: 512 },
  { name: 'VM.Optimized3.Flex', flexible: true, processor: 'Intel Xeon 6354', ocpus: 1, memoryGb: 14, maxOcpus: 18, maxMemoryGb: 256 },
  { name: 'VM.Standard2.1', flexible: false, processor: 'Intel Xeon 8167M', ocpus: 1, memoryGb: 15, maxOcpus: null, maxMemoryGb: null },
  { name: 'VM.Standard2.2', flexible: false, processor: 'Intel Xeon 8167M', ocpus: 2, memoryGb: 30, maxOcpus: null, maxMemoryGb: null },
  { name: 'VM.Standard.E2.1.Micro', flexible: false, processor: 'AMD EPYC 7551', ocpus: 1, memoryGb: 1, maxOcpus: null, maxMemoryGb: null },
  {
    name: 'BM.Standard.E5.192',
    flexible: false,
    processor: 'AMD EPYC 9J14',
    ocpus: 192,
    memoryGb: 2304,
    maxOcpus: null,
    maxMemoryGb: null,
  },
];

const IMAGE_DEFS: [string, string, string][] = [
  ['Oracle-Linux-8.10-2026.10.31-0', 'Oracle Linux', '8'],
  ['Oracle-Linux-9.5-2026.10.31-0', 'Oracle Linux', '9'],
  ['Canonical-Ubuntu-24.04-2026.10.15-0', 'Canonical Ubuntu', '24.04'],
  ['Canonical-Ubuntu-22.04-2026.10.15-0', 'Canonical Ubuntu', '22.04'],
  ['Windows-Server-2022-Standard-Edition-VM-2026.10.08-0', 'Windows', 'Server 2022 Standard'],
  ['Oracle-Linux-9.5-aarch64-2026.10.31-0', 'Oracle Linux', '9'],
];

/** Platform images of the sandbox region. */
export const IMAGES: readonly Image[] = IMAGE_DEFS.map(([name, os, version]) => ({
  id: ocid('image', 'platform', name),
  name,
  operatingSystem: os,
  operatingSystemVersion: version,
  timeCreated: '2026-10-31T00:00:00.000Z',
}));

/** Finds a shape by name (case-sensitive, as OCI). */
export function findShape(name: string): Shape | undefined {
  return SHAPES.find((s) => s.name === name);
}
