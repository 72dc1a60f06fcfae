export * from './asyncapi.js';
export * from './check.js';
export * from './compare.js';
export * from './fixtures.js';
export * from './json-schema.js';
