import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * e2e global set-up: the end-to-end tests run real containers, so they need a Docker engine and the
 * project's images. A missing engine is an error, never a reason to skip. The image build is offline
 * and cached (unchanged bundles rebuild nothing).
 */
export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (info.status !== 0) {
    throw new Error(
      'No Docker engine answers: run `bash .ci/run` (it installs and starts one) or start dockerd.',
    );
  }
  const build = spawnSync('bash', [join(root, 'images', 'build.sh')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`images/build.sh failed:\n${build.stdout}\n${build.stderr}`);
}
