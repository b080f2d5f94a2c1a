import createError from '@fastify/error';

/** Tool gate errors (each also appears as `{ code, message }` in a gate result). */
export const ToolNotFound = createError<[string]>('TOOL_NOT_FOUND', 'Tool %s not found', 404);
export const ToolDisabled = createError<[string]>('TOOL_DISABLED', 'Tool %s is disabled by this organisation policy', 403);
export const ToolArgsTooLarge = createError<[number, number]>('TOOL_ARGS_TOO_LARGE', 'args: %d bytes exceed the %d-byte limit', 413);
export const ToolArgsInvalid = createError<[string]>('VALIDATION_FAILED', '%s', 400);
