import { z } from 'zod';

/**
 * Schema pieces the tool inputs share. Every field carries `.describe()` (the model and the MCP
 * listing read it); every input is a strict object, so an unknown argument is a 400 naming it.
 */

const OCID = /^ocid1\.[a-z0-9]+\.[a-z0-9-]+\.[a-z0-9-]*\.[A-Za-z0-9._-]+$/;

/** An OCID of the given resource kind (e.g. `instance`); `what` is used in the description. */
export const ocid = (what: string) =>
  z.string().max(255).regex(OCID, 'must be an OCID (ocid1.<type>.<realm>.<region>.<id>)').describe(`OCID of the ${what}`);

export const compartmentId = ocid('compartment')
  .optional()
  .describe('Compartment OCID; omitted = the whole tenancy (sandbox) or the configured compartment (OCI)');

export const limit = z.number().int().min(1).max(500).optional().describe('Maximum items to return (default 50, max 500)');

export const offset = z.number().int().min(0).max(100_000).optional().describe('Items to skip (sandbox paging)');

export const displayName = (what: string) =>
  z
    .string()
    .min(1)
    .max(255)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'letters, digits, spaces, dots, dashes and underscores')
    .describe(`Display name of the ${what}`);

export const bucketName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dots, dashes and underscores')
  .describe('Bucket name');

export const cidr = (what: string) =>
  z
    .string()
    .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'must be an IPv4 CIDR block such as 10.0.0.0/16')
    .describe(`IPv4 CIDR block of the ${what}`);

export const days = (def: number, max: number) =>
  z.number().int().min(1).max(max).optional().describe(`Days to look back (default ${def}, max ${max})`);

export const listInput = z.strictObject({ compartmentId, limit, offset });
