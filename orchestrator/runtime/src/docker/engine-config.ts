import { z } from 'zod';

/**
 * One Docker engine of a DockerRuntime. `url` says how to reach its API:
 * - `unix:///var/run/docker.sock` (default) — a local socket;
 * - `tcp://host:2376` — TCP, with `tls` client certificate files (required unless `insecure: true`,
 *   which only makes sense on a loopback or a private test bridge);
 * - `ssh://user@host[:port]` — the engine's socket over SSH (dockerode's `protocol: 'ssh'`), keys from
 *   the SSH agent (`SSH_AUTH_SOCK`) or `sshKeyFile`.
 */
export const engineConfigSchema = z
  .object({
    /** Node name, unique in the runtime; units are placed by it. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'must be a node name'),
    url: z
      .string()
      .regex(
        /^(unix:\/\/\/[^\0]+|tcp:\/\/[A-Za-z0-9.:[\]-]+:\d{1,5}|ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.[\]:-]+)$/,
        {
          message: 'must be unix:///path, tcp://host:port or ssh://user@host[:port]',
        },
      )
      .default('unix:///var/run/docker.sock'),
    /** The node's address on the cluster network; published ports listen there. Default 127.0.0.1 (one local engine). */
    address: z.ipv4().or(z.ipv6()).default('127.0.0.1'),
    /** Placement labels. */
    labels: z.record(z.string(), z.string()).default({}),
    /** TLS client files for tcp:// (paths; read once at start). */
    tls: z.object({ ca: z.string(), cert: z.string(), key: z.string() }).strict().optional(),
    insecure: z.boolean().default(false),
    sshKeyFile: z.string().optional(),
    /** Disk the node may use for units, if the operator knows it (engines do not report free disk). */
    diskBytes: z.number().int().positive().optional(),
  })
  .strict()
  .refine((e) => !e.url.startsWith('tcp://') || e.tls !== undefined || e.insecure, {
    message: 'a tcp:// engine needs tls files (or insecure: true on a private test network)',
    path: ['tls'],
  });

export const dockerRuntimeConfigSchema = z
  .object({
    /** Default: the local engine alone, named 'local'. */
    engines: z
      .array(engineConfigSchema)
      .min(1)
      .default([
        {
          name: 'local',
          url: 'unix:///var/run/docker.sock',
          address: '127.0.0.1',
          labels: {},
          insecure: false,
        },
      ])
      .refine((es) => new Set(es.map((e) => e.name)).size === es.length, 'engine names must be unique'),
    /** Image used for short-lived helper containers that copy files into volumes. Default nn/chain-sidecar:latest. */
    helperImage: z.string().default('nn/chain-sidecar:latest'),
    /** Default cluster network name. */
    network: z.string().default('nn-cluster'),
    /** Time-out of one API call to an engine, ms (image transfers and stops are not bounded by it). Default 30 s. */
    requestTimeoutMs: z.number().int().positive().default(30_000),
  })
  .strict();

export type EngineConfig = z.infer<typeof engineConfigSchema>;
export type DockerRuntimeConfig = z.input<typeof dockerRuntimeConfigSchema>;
export type ResolvedDockerRuntimeConfig = z.infer<typeof dockerRuntimeConfigSchema>;
