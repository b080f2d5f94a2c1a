import createError from '@fastify/error';

/** Workflow-specific coded errors (the error handler renders `{ code, message }`). */
export const WorkflowInvalid = createError<[string]>('WORKFLOW_INVALID', '%s', 400);
export const WorkflowNotFound = createError<[string]>('WORKFLOW_NOT_FOUND', 'Workflow %s not found', 404);
export const RunNotFound = createError<[string]>('WORKFLOW_RUN_NOT_FOUND', 'Workflow run %s not found', 404);
export const WorkflowArchived = createError<[string]>('WORKFLOW_ARCHIVED', 'Workflow %s is archived and cannot run', 409);
export const RunNotSuspended = createError<[string, string]>('WORKFLOW_RUN_NOT_SUSPENDED', 'Run %s is %s, not suspended', 409);
export const RunFinished = createError<[string, string]>('WORKFLOW_RUN_FINISHED', 'Run %s is already %s', 409);
export const NotAnApprover = createError<[string]>('WORKFLOW_NOT_APPROVER', 'You are not an approver of run %s', 403);
export const ScheduleInvalid = createError<[string]>('WORKFLOW_SCHEDULE_INVALID', '%s', 400);
