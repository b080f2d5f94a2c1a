import createError from '@fastify/error';

/** 404: the thread is not one of the caller's (unknown, another user's or another org's). */
export const ThreadNotFound = createError<[string]>('THREAD_NOT_FOUND', 'Thread %s not found', 404);

/** 400: the request's messages are not usable UI messages; the message names the field. */
export const InvalidChatMessage = createError<[string]>('INVALID_MESSAGE', '%s', 400);

/** 409: a generation is already running for this thread on this server. */
export const ChatBusy = createError<[string]>('CHAT_BUSY', 'A response is already being generated in thread %s; stop it first', 409);

/** 503: this server runs as many generations as it may; another replica or a retry will do. */
export const ChatCapacity = createError<[number]>(
  'CHAT_CAPACITY',
  'This server is running its maximum of %d chat responses; try again shortly',
  503,
);
