/**
 * Renders every overlay with `kubectl kustomize` (KUBECTL or PATH; no kubectl = failure: `.ci/run`
 * installs it) and checks the result offline: every resource against the Kubernetes schemas
 * (kubernetes-models) or the Strimzi KafkaTopic shape; each service's resources, probes, shutdown
 * budget, security context and configuration (parsed with the service's own config schema); the
 * network policies; and the topics against the contracts' declarations.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ALL_TOPICS } from '@tongxin/contracts/catalog';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { SERVICE_NAMES, type ServiceName } from '../../local/src/launch.js';
import { renderTopics, TOPICS_FILE } from '../src/topics.js';

import {
  findKubectl,
  K8S_DIR,
  OVERLAYS,
  render,
  REPO_ROOT,
  selects,
  validateResource,
  type Resource,
} from './render.js';
import { appVersion as version, configSchema, defaultDrainMs, STAND_IN_SECRET } from './services.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked as plain data */
type Any = any;

const kubectl = findKubectl();

/** A peer of a NetworkPolicy rule, as a comparable word: `pod:<service>` or `ns:<namespace>/<pod labels>`. */
function peers(rule: Any, ownPods: Map<string, Record<string, string>>): string[] {
  const list: Any[] = rule.from ?? rule.to;
  expect(list?.length, 'a rule without peers allows everything').toBeGreaterThan(0);
  return list.flatMap((peer: Any) => {
    expect(peer.ipBlock, 'no ipBlock peers').toBeUndefined();
    if (peer.namespaceSelector) {
      const ns = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
      expect(ns, 'namespace peers are named').toBeTruthy();
      const pods = Object.entries(peer.podSelector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${String(v)}`)
        .sort()
        .join(',');
      return [`ns:${ns}/${pods}`];
    }
    return [...ownPods].filter(([, labels]) => selects(peer.podSelector, labels)).map(([name]) => `pod:${name}`);
  });
}

for (const overlay of OVERLAYS) {
  describe(`overlay ${overlay}`, () => {
    let resources: Resource[];
    const find = (kind: string, name: string) => resources.find((r) => r.kind === kind && r.metadata.name === name);
    const podLabels = () =>
      new Map(
        SERVICE_NAMES.map((name) => [
          name,
          (find('Deployment', name) as Any).spec.template.metadata.labels as Record<string, string>,
        ]),
      );

    beforeAll(() => {
      resources = render(kubectl, overlay);
    });

    it('renders only resources that validate against their schemas, all in one namespace', () => {
      expect(resources.length).toBeGreaterThan(SERVICE_NAMES.length * 6);
      const problems = resources.flatMap((r) => validateResource(r).map((p) => `${r.kind}/${r.metadata.name}: ${p}`));
      expect(problems).toEqual([]);
      const namespaces = new Set(resources.map((r) => r.metadata.namespace));
      expect(namespaces.size).toBe(1);
      expect([...namespaces][0]).toMatch(/^tongxin/);
      // Secrets are referenced, never rendered (no secret values in the repository).
      expect(resources.filter((r) => r.kind === 'Secret')).toEqual([]);
    });

    for (const name of SERVICE_NAMES) {
      it(`${name}: Deployment, Service, HPA, PDB, ConfigMap and Secret references`, () => {
        const deployment = find('Deployment', name) as Any;
        expect(deployment, `Deployment ${name}`).toBeDefined();
        const pod = deployment.spec.template;
        const labels = pod.metadata.labels;
        expect(selects(deployment.spec.selector, labels)).toBe(true);
        const container = pod.spec.containers.find((c: Any) => c.name === name);
        expect(container.image).toBe(`tongxin/${name}:${version(name)}`);
        expect(container.resources.requests.cpu).toBeTruthy();
        expect(container.resources.requests.memory).toBeTruthy();
        expect(container.resources.limits.memory).toBeTruthy();
        expect(deployment.spec.replicas).toBeGreaterThanOrEqual(1);

        const service = find('Service', name) as Any;
        expect(selects(service.spec.selector && { matchLabels: service.spec.selector }, labels)).toBe(true);
        expect(service.spec.ports[0].targetPort).toBe('http');
        expect(container.ports.find((p: Any) => p.name === 'http').containerPort).toBe(3000);

        const hpa = find('HorizontalPodAutoscaler', name) as Any;
        expect(hpa.apiVersion).toBe('autoscaling/v2');
        expect(hpa.spec.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', name });
        expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
        expect(deployment.spec.replicas).toBe(hpa.spec.minReplicas);

        const pdb = find('PodDisruptionBudget', name) as Any;
        expect(selects(pdb.spec.selector, labels)).toBe(true);
        // maxUnavailable (not minAvailable = replicas): a one-replica environment can still drain nodes.
        expect(pdb.spec.maxUnavailable).toBe(1);

        const configMaps: string[] = container.envFrom.map((e: Any) => e.configMapRef?.name).filter(Boolean);
        expect(configMaps.length).toBeGreaterThanOrEqual(2);
        for (const cm of configMaps) expect(find('ConfigMap', cm), `ConfigMap ${cm}`).toBeDefined();
        const secretRefs = container.env.filter((e: Any) => e.valueFrom?.secretKeyRef);
        expect(secretRefs.map((e: Any) => e.name)).toEqual(
          expect.arrayContaining(['MONGODB_USERNAME', 'MONGODB_PASSWORD']),
        );
        for (const ref of secretRefs) expect(ref.valueFrom.secretKeyRef.name).toBe(`tongxin-${name}`);
      });

      it(`${name}: probes, graceful shutdown budget and security context`, () => {
        const deployment = find('Deployment', name) as Any;
        const spec = deployment.spec.template.spec;
        const container = spec.containers.find((c: Any) => c.name === name);
        expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
        expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
        expect(container.startupProbe.httpGet.path).toBe('/healthz');

        // preStop keeps the pod serving while endpoints are removed; then SIGTERM starts the drain
        // (SHUTDOWN_TIMEOUT_MS for in-flight requests, then consumers and relay stop).
        const preStop: string[] = container.lifecycle.preStop.exec.command;
        const sleepMs = Number(/setTimeout\([^,]+,\s*(\d+)\)/.exec(preStop.join(' '))?.[1]);
        expect(sleepMs).toBeGreaterThan(0);
        const platform = resources.find(
          (r) => r.kind === 'ConfigMap' && r.metadata.name.startsWith('tongxin-platform'),
        );
        const drainMs = Math.max(defaultDrainMs(), Number(platform?.data?.SHUTDOWN_TIMEOUT_MS ?? 0));
        expect(spec.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(sleepMs + drainMs + 10_000);

        expect(spec.securityContext.runAsNonRoot).toBe(true);
        expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
        expect(spec.automountServiceAccountToken).toBe(false);
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      });

      it(`${name}: its rendered environment satisfies the service's own config schema`, async () => {
        const deployment = find('Deployment', name) as Any;
        const container = deployment.spec.template.spec.containers.find((c: Any) => c.name === name);
        const env: Record<string, string> = {};
        for (const from of container.envFrom)
          Object.assign(env, (find('ConfigMap', from.configMapRef.name) as Any).data);
        for (const entry of container.env) {
          if (entry.valueFrom?.secretKeyRef) {
            if (entry.valueFrom.secretKeyRef.optional) continue;
            env[entry.name] = STAND_IN_SECRET;
          } else {
            // kubelet's $(VAR) expansion from the variables defined so far
            env[entry.name] = String(entry.value).replace(/\$\(([A-Z0-9_]+)\)/g, (all, key: string) => env[key] ?? all);
          }
        }
        expect(env.MONGODB_URI).not.toMatch(/\$\(/);
        expect(env.MONGODB_URI).toMatch(/^mongodb:\/\/[^@]+@[^/]+\/\?replicaSet=rs0/);
        expect(env.PORT).toBe('3000');
        expect(env.KAFKA_BROKERS).toMatch(/:\d+$/);
        const schema = await configSchema(name);
        const parsed = schema.safeParse(env);
        expect(parsed.error?.issues ?? []).toEqual([]);
        if (name === 'gateway') {
          expect(env.GATEWAY_SIGNING_KEY, 'replicas must share one signing key').toBeTruthy();
          const upstreams = (parsed.data as { GATEWAY_UPSTREAMS: Record<string, string> }).GATEWAY_UPSTREAMS;
          expect(Object.keys(upstreams).sort()).toEqual(SERVICE_NAMES.filter((n) => n !== 'gateway').sort());
          for (const [upstream, url] of Object.entries(upstreams)) expect(find('Service', upstream), url).toBeDefined();
        } else {
          expect(env.JWKS_URL).toBe('http://gateway:3000/.well-known/jwks.json');
        }
      }, 120_000);
    }

    it('network policies: deny by default; services only from the gateway; egress only to Kafka, MongoDB, OTel, DNS', () => {
      const policies = resources.filter((r) => r.kind === 'NetworkPolicy') as Any[];
      const deny = policies.find(
        (p) => Object.keys(p.spec.podSelector).length === 0 || !p.spec.podSelector.matchLabels,
      );
      expect(deny?.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
      expect(deny.spec.ingress ?? []).toEqual([]);
      expect(deny.spec.egress ?? []).toEqual([]);

      const pods = podLabels();
      const allowed = (name: ServiceName, type: 'Ingress' | 'Egress') => {
        const words = new Set<string>();
        for (const policy of policies) {
          if (!policy.spec.policyTypes.includes(type) || !selects(policy.spec.podSelector, pods.get(name)!)) continue;
          for (const rule of (type === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? []) {
            expect(rule.ports?.length, `${policy.metadata.name}: ports are listed`).toBeGreaterThan(0);
            for (const word of peers(rule, pods)) words.add(word);
          }
        }
        return [...words].sort();
      };
      const prometheus = 'ns:monitoring/app.kubernetes.io/name=prometheus';
      const infrastructure = [
        'ns:kafka/strimzi.io/cluster=tongxin,strimzi.io/kind=Kafka',
        'ns:kube-system/k8s-app=kube-dns',
        'ns:mongodb/',
        'ns:observability/app.kubernetes.io/name=opentelemetry-collector',
      ];
      const others = SERVICE_NAMES.filter((n) => n !== 'gateway').map((n) => `pod:${n}`);
      for (const name of SERVICE_NAMES) {
        if (name === 'gateway') {
          expect(allowed(name, 'Ingress')).toEqual(
            ['ns:ingress-nginx/app.kubernetes.io/name=ingress-nginx', prometheus, ...others].sort(),
          );
          expect(allowed(name, 'Egress')).toEqual([...infrastructure, ...others].sort());
        } else {
          expect(allowed(name, 'Ingress')).toEqual([prometheus, 'pod:gateway'].sort());
          expect(allowed(name, 'Egress')).toEqual([...infrastructure, 'pod:gateway'].sort());
        }
      }
    });

    it('KafkaTopics equal the contracts’ topic declarations', () => {
      const topics = resources.filter((r) => r.kind === 'KafkaTopic') as Any[];
      const rendered = topics
        .map((t) => ({
          name: t.spec.topicName ?? t.metadata.name,
          partitions: t.spec.partitions,
          retentionMs: t.spec.config?.['retention.ms'],
          cleanupPolicy: t.spec.config?.['cleanup.policy'],
          cluster: t.metadata.labels['strimzi.io/cluster'],
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const declared = ALL_TOPICS.map((t) => ({
        name: t.name,
        partitions: t.partitions,
        retentionMs: t.retentionMs,
        cleanupPolicy: undefined, // not declared by the contracts: left to the broker default
        cluster: 'tongxin',
      })).sort((a, b) => a.name.localeCompare(b.name));
      expect(rendered).toEqual(declared);
    });
  });
}

// kubectl 1.20 embeds kustomize v2.0.3 (Debian's kubernetes-client): the manifests avoid what it lacks.
// Point KUBECTL_LEGACY at such a kubectl to check that both render the same resources.
describe.runIf(process.env.KUBECTL_LEGACY)('an older kustomize (KUBECTL_LEGACY)', () => {
  for (const overlay of OVERLAYS) {
    it(`renders ${overlay} exactly as the current kubectl does`, () => {
      const key = (r: Resource) => `${r.kind}/${r.metadata.name}`;
      // kustomize v2 writes empty `labels: {}` / `annotations: {}` on generated ConfigMaps: the same thing.
      const prune = (value: unknown): unknown =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(
              Object.entries(value)
                .map(([k, v]) => [k, prune(v)] as const)
                .filter(([, v]) => !(v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)),
            )
          : Array.isArray(value)
            ? value.map(prune)
            : value;
      const canonical = (resources: Resource[]) => Object.fromEntries(resources.map((r) => [key(r), prune(r)]));
      const legacy = render(process.env.KUBECTL_LEGACY!, overlay);
      expect(legacy.length).toBeGreaterThan(0);
      expect(canonical(legacy)).toEqual(canonical(render(kubectl, overlay)));
    });
  }
});

describe('jobs/reporting-rebuild.yaml', () => {
  const job = parse(readFileSync(join(K8S_DIR, 'jobs/reporting-rebuild.yaml'), 'utf8')) as Any;
  const deployment = render(kubectl, 'prod').find(
    (r) => r.kind === 'Deployment' && r.metadata.name === 'reporting',
  ) as Any;

  it('is a valid Job running the rebuild script with the reporting Deployment’s image, settings and secrets', () => {
    expect(validateResource(job)).toEqual([]);
    const container = job.spec.template.spec.containers[0];
    const service = deployment.spec.template.spec.containers[0];
    const script = (JSON.parse(readFileSync(join(REPO_ROOT, 'apps/reporting/package.json'), 'utf8')) as Any).scripts
      .rebuild as string;
    expect(['node', '--import', ...script.split(' ')].join(' ')).toBe(container.command.join(' '));
    expect(container.image).toBe(service.image);
    expect(container.env).toEqual(service.env);
    expect(container.envFrom).toEqual(service.envFrom);
    expect(container.securityContext).toEqual(service.securityContext);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    // Network: the platform egress policy (Kafka, MongoDB, DNS) selects it; no ingress.
    expect(job.spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('tongxin');
    expect(job.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('job');
  });
});

describe('generated files', () => {
  it('base/topics.yaml is what `npm run k8s:topics` writes now', () => {
    expect(readFileSync(TOPICS_FILE, 'utf8')).toBe(renderTopics());
  });
});
