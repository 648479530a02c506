import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@nn/testkit';
import { stringify } from 'yaml';
import { chartNetworkFile, SHIPPED_NETWORKS } from './chart-layout.js';

// deploy/helm/notary-node/networks/<name>.yaml: written by `pnpm tsx test/helm/network-files.ts`, checked
// by test/helm/chart.test.ts (a file that differs from what this makes fails the test).

export const CHART_DIR = join(REPO_ROOT, 'deploy', 'helm', 'notary-node');
export const networkFilePath = (name: string): string => join(CHART_DIR, 'networks', `${name}.yaml`);

export function networkFileText(name: string): string {
  const header = [
    `# The ${name} network's own units for the chart, made from networks/${name}.json by the functions`,
    '# `nnctl up` deploys with (@nn/node-units). Generated: do not edit; run',
    '# `pnpm tsx test/helm/network-files.ts` after changing the network file (test/helm checks it).',
    '# @@NAME@@ markers are filled by templates/_helpers.tpl (notary-node.fill).',
  ];
  return `${header.join('\n')}\n${stringify(chartNetworkFile(name), { lineWidth: 0 })}`;
}

export const currentNetworkFile = (name: string): string => readFileSync(networkFilePath(name), 'utf8');

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of SHIPPED_NETWORKS) writeFileSync(networkFilePath(name), networkFileText(name));
}
