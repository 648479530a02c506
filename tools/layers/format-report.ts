import type { LayersReport } from './check-layers.js';
import { CONFIG_FILE } from './layers-config.js';

/** One line when the tree is clean; otherwise one line per violation, `file:line  message  [rule]`. */
export function formatReport(report: LayersReport): string {
  if (report.violations.length === 0) {
    return `layers: ${report.packages} packages in ${report.layers} layers, ${report.imports} imports in ${report.files} files, no violation`;
  }
  const lines = report.violations.map(
    (v) => `  ${v.file}${v.line === undefined ? '' : `:${v.line}`}  ${v.message}  [${v.rule}]`,
  );
  const count = report.violations.length;
  return [
    `layers: ${count} violation${count === 1 ? '' : 's'} of the order in ${CONFIG_FILE}:`,
    ...lines,
  ].join('\n');
}
