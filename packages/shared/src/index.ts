export * from './permissions.ts';
export * from './actor.ts';
export * from './limits.ts';
