/**
 * Something that runs beside the HTTP server for the service's whole life: a Kafka consumer, an
 * outbox relay, a scheduler. Started in order after the database opens, stopped in reverse order
 * on shutdown, and asked `ready()` by `/readyz` (absent `ready`: ready once started).
 */
export interface Lifecycle {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  ready?(): boolean | Promise<boolean>;
}

/** An extra condition for `/readyz` that is not a lifecycle (a cache warmed, a key set loaded). */
export interface ReadinessCheck {
  name: string;
  ready(): boolean | Promise<boolean>;
}
