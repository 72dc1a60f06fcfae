export * from './envelope.js';
export * from './events.js';
export * from './roles.js';
export * from './topics.js';
export * from './values/index.js';
