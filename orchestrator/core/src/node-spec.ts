import { z } from 'zod';
import { labelsSchema, nodeNameSchema } from './names.js';

// A node is one container engine the orchestrator may place units on. Its endpoint says how to reach it;
// TLS and SSH material stays in files on the orchestrator's disk, referenced by path, never stored here.

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;
const ABS_PATH = /^\/(?:[A-Za-z0-9._-]+\/?)*$/;

const host = z.string({ error: 'must be a string (host name or address)' }).max(253).regex(HOST, {
  error: 'must be a host name, an IPv4 address or a bracketed IPv6 address',
});
const absPath = z
  .string({ error: 'must be a string (an absolute path)' })
  .max(4096)
  .regex(ABS_PATH, { error: 'must be an absolute path of A-Z, a-z, 0-9, ".", "_", "-" components' })
  .refine((p) => !p.split('/').includes('..'), { error: 'must not contain ".."' });
const tcpPort = z.number({ error: 'must be a number' }).int().min(1).max(65535);

export const nodeEndpointSchema = z.discriminatedUnion(
  'kind',
  [
    /** The engine's unix socket, e.g. /var/run/docker.sock. */
    z.strictObject({ kind: z.literal('unix'), socketPath: absPath }),
    /** Plain TCP: only for engines on a private test network (network namespaces in CI). */
    z.strictObject({ kind: z.literal('tcp'), host, port: tcpPort }),
    /** TCP with mutual TLS; ca.pem, cert.pem and key.pem are read from tlsDir. */
    z.strictObject({ kind: z.literal('tls'), host, port: tcpPort, tlsDir: absPath }),
    /** Docker over SSH (`docker system dial-stdio` on the far side). */
    z.strictObject({
      kind: z.literal('ssh'),
      host,
      port: tcpPort.default(22),
      user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, { error: 'must be a POSIX user name' }),
      identityFile: absPath.optional(),
    }),
  ],
  { error: 'kind: must be one of unix, tcp, tls, ssh' },
);
export type NodeEndpoint = z.infer<typeof nodeEndpointSchema>;

/** An inclusive range of host ports. */
export const portRangeSchema = z
  .strictObject({
    from: z.number({ error: 'must be a number' }).int().min(1024, { error: 'at least 1024' }).max(65535),
    to: z.number({ error: 'must be a number' }).int().min(1024, { error: 'at least 1024' }).max(65535),
  })
  .refine((r) => r.from <= r.to, { error: 'from must not exceed to', path: ['to'] });
export type PortRange = z.infer<typeof portRangeSchema>;

const bytes = z
  .number({ error: 'must be a number of bytes' })
  .int({ error: 'must be a whole number of bytes' })
  .positive({ error: 'must be positive' })
  .max(2 ** 53 - 1);

export const nodeCapacitySchema = z
  .strictObject({
    /** Memory the orchestrator may reserve for chain units on this node. */
    memoryBytes: bytes,
    /** Disk the orchestrator may reserve for chain data on this node. */
    diskBytes: bytes,
    /** Host ports chains may publish their p2p port on; a chain whose derived port is outside cannot go here. */
    p2pPorts: portRangeSchema,
    /** Host ports handed out to sidecars' APIs; must not overlap p2pPorts. */
    sidecarPorts: portRangeSchema,
    /** Host ports used by something else on the node (KMD 7770, Iguana 13848, ...): never allocated. */
    reservedPorts: z.array(tcpPort).max(1000).default([]),
  })
  .refine((c) => c.sidecarPorts.to < c.p2pPorts.from || c.sidecarPorts.from > c.p2pPorts.to, {
    error: 'must not overlap p2pPorts (a sidecar could take a port a chain needs)',
    path: ['sidecarPorts'],
  });
export type NodeCapacity = z.infer<typeof nodeCapacitySchema>;

export const nodeSpecSchema = z.strictObject({
  name: nodeNameSchema,
  endpoint: nodeEndpointSchema,
  labels: labelsSchema.default({}),
  capacity: nodeCapacitySchema,
  /** False while a node is drained or lost: placement skips it, even when asked for by name. */
  schedulable: z.boolean({ error: 'must be true or false' }).default(true),
});
export type NodeSpec = z.infer<typeof nodeSpecSchema>;
/** A node as an operator writes it (defaults not yet applied). */
export type NodeSpecInput = z.input<typeof nodeSpecSchema>;
