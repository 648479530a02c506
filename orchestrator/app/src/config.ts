import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { apiConfigSchema } from '@nn/orchestrator-api';
import { type NodeEndpoint, nodeCapacitySchema, parseOrThrow, ValidationError } from '@nn/orchestrator-core';
import { jobsConfigSchema } from '@nn/orchestrator-jobs';
import { engineConfigSchema } from '@nn/runtime';
import { kubernetesRuntimeConfigSchema } from '@nn/runtime/kubernetes/config';
import { z } from 'zod';
import { applyEnvOverrides, nameOverrides } from './env-overrides.js';

// The orchestrator process's one config file (JSON). Nodes are written once and feed both the Docker
// runtime (how to reach each engine) and the state store (capacity and labels for placement). The jobs
// section is orchestrator/jobs' own config, validated with its schema. Secrets are never in this file:
// only paths. NN_* environment variables override single fields (env-overrides.ts).

export const ROLES = ['api', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** A node: how the runtime reaches its engine (orchestrator/runtime's engine config) and its capacity. */
const nodeSchema = z
  .strictObject({
    ...engineConfigSchema.shape,
    capacity: nodeCapacitySchema,
    /** False to keep the node out of placement (drained). */
    schedulable: z.boolean().default(true),
  })
  .refine((e) => !e.url.startsWith('tcp://') || e.tls !== undefined || e.insecure, {
    error: 'a tcp:// engine needs tls files (or insecure: true on a private test network)',
    path: ['tls'],
  });

export const orchestratorConfigSchema = z.strictObject({
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379'),
  /** State key prefix (default `nn:`): two orchestrators on one Redis need different ones. */
  statePrefix: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,64}$/)
    .optional(),
  /** What this process runs; default both. A second worker process takes `["worker"]`. */
  roles: z.array(z.enum(ROLES)).min(1).default(['api', 'worker']),
  /** The cluster network every unit joins, on every node. */
  network: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/)
    .default('nn-cluster'),
  nodes: z
    .array(nodeSchema)
    .min(1, { error: 'at least one node is needed' })
    .refine((ns) => new Set(ns.map((n) => n.name)).size === ns.length, {
      error: 'node names must be unique',
    }),
  api: z
    .strictObject({
      // The API's own field schemas: a bad value is refused here, before anything starts.
      listen: apiConfigSchema.shape.listen.default('127.0.0.1:7780'),
      /** The API keys file (mode 600): {"viewer": [...], "operator": [...]}. */
      keysFile: z.string().min(1),
      /** The daemon image of a chain added without one. */
      defaultImage: apiConfigSchema.shape.defaultImage.default(
        apiConfigSchema.shape.defaultImage.parse('nn/devchain:0.1.0'),
      ),
      /** What a chain added without `resources` reserves (memoryBytes, diskBytes); default 2 GiB, 20 GiB. */
      defaultResources: apiConfigSchema.shape.defaultResources,
      bodyLimit: apiConfigSchema.shape.bodyLimit,
      rateLimitPerMinute: apiConfigSchema.shape.rateLimitPerMinute,
    })
    .optional(),
  /**
   * Units on a Kubernetes cluster instead of the nodes' Docker engines: the pod's service account
   * (`inCluster: true`) or a `kubeconfig` path, the `namespace`, `p2pExposure` (hostPort | NodePort |
   * LoadBalancer), `storage` (className, size)... (@nn/runtime/kubernetes). The nodes then name the
   * cluster's nodes (their `url` is unused) and give the state store their capacity.
   */
  kubernetes: kubernetesRuntimeConfigSchema.optional(),
  /** orchestrator/jobs' config (secretsDir, kmd, notary, iguana, time limits...). */
  jobs: z.record(z.string(), z.unknown()),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type OrchestratorConfig = z.infer<typeof orchestratorConfigSchema>;
export type OrchestratorConfigInput = z.input<typeof orchestratorConfigSchema>;
export type NodeConfig = OrchestratorConfig['nodes'][number];

/** Validates a config object (its jobs section too); ValidationError naming each bad field. */
export function parseOrchestratorConfig(input: unknown): OrchestratorConfig {
  const config = parseOrThrow(orchestratorConfigSchema, input, 'config');
  if (config.roles.includes('api') && !config.api)
    throw new ValidationError([{ field: 'config.api', reason: 'is required when roles include "api"' }]);
  parseOrThrow(jobsConfigSchema, config.jobs, 'config.jobs');
  return config;
}

/**
 * Reads the config file, puts the NN_* overrides of `env` in place and validates the whole; an issue
 * of a field a variable set names the variable.
 */
export function loadOrchestratorConfig(
  path: string,
  env: Readonly<Record<string, string | undefined>> = {},
): OrchestratorConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ValidationError([
      { field: 'config', reason: `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}` },
    ]);
  }
  const overridden = applyEnvOverrides(raw, env);
  try {
    return parseOrchestratorConfig(overridden.raw);
  } catch (err) {
    throw nameOverrides(err, overridden.fields, 'config');
  }
}

/** How the state store records a node's endpoint (informational: the runtime reaches it by `url`). */
export function endpointOf(node: NodeConfig): NodeEndpoint {
  const url = new URL(node.url);
  if (url.protocol === 'unix:') return { kind: 'unix', socketPath: url.pathname };
  const host = url.hostname;
  if (url.protocol === 'ssh:')
    return {
      kind: 'ssh',
      host,
      port: url.port ? Number(url.port) : 22,
      user: decodeURIComponent(url.username),
      ...(node.sshKeyFile ? { identityFile: node.sshKeyFile } : {}),
    };
  const port = Number(url.port);
  return node.tls ? { kind: 'tls', host, port, tlsDir: dirname(node.tls.ca) } : { kind: 'tcp', host, port };
}
