/** The Iguana sidecar's routes, shared by the server and its clients (orchestrator, tests). */
export const IGUANA_SIDECAR_ROUTES = {
  healthz: { method: 'GET', path: '/healthz', auth: false },
  readyz: { method: 'GET', path: '/readyz', auth: false },
  status: { method: 'GET', path: '/v1/status', auth: 'viewer' },
  addCoin: { method: 'POST', path: '/v1/coins', auth: 'operator' },
  removeCoin: { method: 'DELETE', path: '/v1/coins/:name', auth: 'operator' },
  split: { method: 'POST', path: '/v1/coins/:name/split', auth: 'operator' },
  metrics: { method: 'GET', path: '/metrics', auth: false },
} as const;
