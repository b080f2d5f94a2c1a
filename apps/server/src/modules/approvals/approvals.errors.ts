import createError from '@fastify/error';

/** Approval errors: every one names the approval and maps to a 4xx. */
export const ApprovalNotFound = createError<[string]>('APPROVAL_NOT_FOUND', 'Approval %s not found', 404);
export const ApprovalAlreadyDecided = createError<[string, string]>('APPROVAL_ALREADY_DECIDED', 'Approval %s was already %s', 409);
export const ApprovalExpired = createError<[string]>('APPROVAL_EXPIRED', 'Approval %s has expired', 410);
export const ApprovalPending = createError<[string]>('APPROVAL_PENDING', 'Approval %s has not been decided yet', 409);
export const ApprovalRejected = createError<[string]>('APPROVAL_DENIED', 'Approval %s was denied', 403);
export const ApprovalAlreadyUsed = createError<[string]>('APPROVAL_ALREADY_USED', 'Approval %s has already been used', 409);
export const ApprovalMismatch = createError<[string]>(
  'APPROVAL_MISMATCH',
  'Approval %s was granted for a different tool or arguments',
  409,
);
