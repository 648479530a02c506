import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  Log,
  NetworkingV1Api,
  Watch,
} from '@kubernetes/client-node';
import { EngineError, InvalidSpecError } from '../errors.js';
import type { ResolvedKubernetesRuntimeConfig } from './kube-config.js';

/** The API clients of one cluster, and the namespace every call of the adapter is confined to. */
export interface KubeClient {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly net: NetworkingV1Api;
  /** Any object by apiVersion/kind: the adapter's create/read/replace/delete go through it. */
  readonly objects: KubernetesObjectApi;
  readonly log: Log;
  readonly watch: Watch;
  readonly namespace: string;
  /** The cluster's name in errors ('kubernetes' in-cluster, else the kubeconfig's cluster). */
  readonly name: string;
}

export function connectKube(config: ResolvedKubernetesRuntimeConfig): KubeClient {
  const kc = new KubeConfig();
  try {
    if (config.inCluster) kc.loadFromCluster();
    else if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
    if (config.context) kc.setCurrentContext(config.context);
  } catch (err) {
    throw new InvalidSpecError([
      `kubeconfig: cannot load: ${err instanceof Error ? err.message : String(err)}`,
    ]);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new InvalidSpecError(['kubeconfig: no current cluster']);
  return {
    config: kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    net: kc.makeApiClient(NetworkingV1Api),
    objects: KubernetesObjectApi.makeApiClient(kc),
    log: new Log(kc),
    watch: new Watch(kc),
    namespace: config.namespace,
    name: config.inCluster ? 'kubernetes' : cluster.name,
  };
}

/** The HTTP status of an API error, or null for anything else (network, TLS). */
export function statusOf(err: unknown): number | null {
  if (err instanceof ApiException) return err.code;
  const code = (err as { code?: unknown; statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : null;
}

/** The object, or null when the API says 404. Other failures are EngineErrors. */
export async function readOrNull<T>(
  client: KubeClient,
  action: string,
  read: () => Promise<T>,
): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw new EngineError(client.name, action, apiMessage(err));
  }
}

/** Runs one API call; its failure becomes an EngineError naming the action (never the body: Secrets). */
export async function call<T>(client: KubeClient, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new EngineError(client.name, action, apiMessage(err));
  }
}

/** What the API server said, without the request (a Secret's data would be in it). */
export function apiMessage(err: unknown): Error {
  if (err instanceof ApiException) {
    const body = err.body as { message?: unknown } | string | undefined;
    const text =
      typeof body === 'object' && typeof body?.message === 'string' ? body.message : `HTTP ${err.code}`;
    return new Error(text);
  }
  return err instanceof Error ? new Error(err.message) : new Error(String(err));
}
