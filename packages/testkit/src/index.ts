export { kafkaBrokers, mongodbUri } from './infra.js';
export { createTestTopic, kafkaAdmin, testKafka } from './kafka.js';
export { connectTestDatabase } from './mongo.js';
export { uniqueDatabase, uniqueGroup, uniqueName, uniqueTopic } from './names.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export { apiClient, type Api, type ApiResponse, type Json } from './http.js';
