/**
 * Test helpers: find kubectl, render an overlay with `kubectl kustomize`, and validate every
 * rendered resource offline (kubernetes-models' JSON schemas; Strimzi KafkaTopic with a zod
 * schema written from the CRD's documented fields).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// eslint-disable-next-line no-restricted-imports -- the Kubernetes API group "apps", not a service
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

export const K8S_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const OVERLAYS = readdirSync(join(K8S_DIR, 'overlays')).sort();

/** kubectl from $KUBECTL or PATH; throws (the test fails) when there is none. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [
    ...(env.KUBECTL ? [env.KUBECTL] : []),
    ...(env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'kubectl')),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  throw new Error(
    'kubectl not found (set KUBECTL or put it on PATH). `.ci/run` installs it (Debian package ' +
      'kubernetes-client) in its toolchain step; locally: apt-get install kubernetes-client.',
  );
}

export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export function render(kubectl: string, overlay: string): Resource[] {
  const text = execFileSync(kubectl, ['kustomize', join(K8S_DIR, 'overlays', overlay)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 32 * 1024 * 1024,
  });
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Resource | null)
    .filter((r): r is Resource => r !== null);
}

/** Strimzi KafkaTopic (kafka.strimzi.io/v1beta2), from the CRD's documented fields. */
export const ZKafkaTopic = z.strictObject({
  apiVersion: z.literal('kafka.strimzi.io/v1beta2'),
  kind: z.literal('KafkaTopic'),
  metadata: z.looseObject({
    name: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'a DNS subdomain'),
    namespace: z.string().optional(),
    labels: z.looseObject({ 'strimzi.io/cluster': z.string().min(1) }),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    /** Kafka topic name when it differs from metadata.name. */
    topicName: z
      .string()
      .max(249)
      .regex(/^[a-zA-Z0-9._-]+$/)
      .optional(),
    partitions: z.number().int().min(1).optional(),
    replicas: z.number().int().min(1).max(32767).optional(),
    config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
  }),
});

type Validatable = new (data: never) => { validate(): void };
const MODELS: Record<string, Validatable> = {
  'apps/v1/Deployment': Deployment as unknown as Validatable,
  'v1/Service': Service as unknown as Validatable,
  'v1/ConfigMap': ConfigMap as unknown as Validatable,
  'v1/ServiceAccount': ServiceAccount as unknown as Validatable,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as unknown as Validatable,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as Validatable,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as unknown as Validatable,
  'batch/v1/Job': Job as unknown as Validatable,
};

/** Problems of one resource against its schema ([] = valid); an unknown kind is a problem. */
export function validateResource(resource: Resource): string[] {
  const id = `${resource.apiVersion}/${resource.kind}`;
  if (id === 'kafka.strimzi.io/v1beta2/KafkaTopic') {
    const result = ZKafkaTopic.safeParse(resource);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  }
  const Model = MODELS[id];
  if (!Model) return [`no schema for ${id} (add it to MODELS if it is meant to be there)`];
  try {
    new Model(resource as never).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/** Does a label selector's matchLabels (matchExpressions unused here) select these labels? */
export function selects(
  selector: { matchLabels?: Record<string, string> } | undefined,
  labels: Record<string, string>,
) {
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}
