/**
 * The sidecar's route table, shared by the server and its clients (the orchestrator, the bridges,
 * tests), so a path is written once.
 */
export const SIDECAR_ROUTES = {
  healthz: { method: 'GET', path: '/healthz', auth: false },
  readyz: { method: 'GET', path: '/readyz', auth: false },
  status: { method: 'GET', path: '/v1/status', auth: 'viewer' },
  rpc: { method: 'POST', path: '/v1/rpc', auth: 'viewer' },
  metrics: { method: 'GET', path: '/metrics', auth: false },
} as const;
