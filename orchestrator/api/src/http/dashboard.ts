import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { JobQueue } from '@nn/orchestrator-jobs';
import type { FastifyInstance } from 'fastify';
import { DASHBOARD_PATH, type Role } from '../routes.js';

// The queue dashboard (bull-board): one board per role, since bull-board's read-only switch is set per
// queue adapter when the board is built. Viewers get /admin/queues/viewer (readOnlyMode: every retry,
// remove or pause is refused by bull-board itself, and by the API's guard before it), operators get
// /admin/queues/operator; /admin/queues sends each to theirs.

export const dashboardPath = (role: Role) => `${DASHBOARD_PATH}/${role}`;

export async function registerDashboards(app: FastifyInstance, queue: JobQueue): Promise<void> {
  for (const role of ['operator', 'viewer'] as const) {
    const basePath = dashboardPath(role);
    const server = new FastifyAdapter();
    server.setBasePath(basePath);
    createBullBoard({
      queues: [
        new BullMQAdapter(queue.queue, {
          readOnlyMode: role === 'viewer',
          allowRetries: role === 'operator',
        }),
      ],
      serverAdapter: server,
      options: { uiConfig: { boardTitle: role === 'viewer' ? 'nn jobs (read-only)' : 'nn jobs' } },
    });
    await app.register(server.registerPlugin(), { prefix: basePath });
  }
}
