/**
 * What tools outside the service may use of its read models (the scenario's rebuild check): the
 * models on a connection and the queries over them. The service itself imports the modules directly.
 */
export { readModels } from './models.js';
export { createQueries } from './queries.js';
