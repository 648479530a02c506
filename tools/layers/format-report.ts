import type { LayersReport } from './check-layers.js';
import { CONFIG_FILE } from './layers-config.js';

/** One line when the tree is clean; otherwise one line per violation, `file:line  message  [rule]`. */
export function formatReport(report: LayersReport): string {
  if (report.violations.length === 0) {
    return `layers: ${report.packages} packages in ${report.layers} layers, ${plural(report.imports, 'import')} in ${plural(report.files, 'file')}, no violation`;
  }
  const lines = report.violations.map(
    (v) => `  ${v.file}${v.line === undefined ? '' : `:${v.line}`}  ${v.message}  [${v.rule}]`,
  );
  return [
    `layers: ${plural(report.violations.length, 'violation')} of the order in ${CONFIG_FILE}:`,
    ...lines,
  ].join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
