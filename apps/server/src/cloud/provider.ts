/**
 * The CloudProvider port: everything the tools need from a tenancy. Two adapters implement it:
 * `sandbox/` (a simulated tenancy per org, persisted in the database) and `oci/` (the OCI SDK).
 * (Filled in by the cloud tools work.)
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CloudProvider {}
