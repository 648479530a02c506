import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type DockerfileFacts, readDockerfile } from './read-dockerfile.js';

// The real images are never built here (no registry, no internet), so what can be checked is checked
// statically: each Dockerfile pins full commits and verifies them, checks a checksum where it downloads a
// release, runs as non-root and has a HEALTHCHECK; and every image a network file names is one that
// some Dockerfile here builds, from the commit the network file says.

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const FULL_COMMIT = /^[0-9a-f]{40}$/;

const dockerfiles = readdirSync(here)
  .filter((f) => f.endsWith('.Dockerfile'))
  .sort()
  .map((file) => ({ file, facts: readDockerfile(readFileSync(join(here, file), 'utf8')) }));

/** The value an image line builds with: its own build arg, else the Dockerfile's (one) default. */
function argFor(facts: DockerfileFacts, args: Readonly<Record<string, string>>, name: string) {
  return args[name] ?? facts.argDefaults.get(name)?.[0];
}

function commitArgs(facts: DockerfileFacts): string[] {
  return [...facts.argNames].filter((n) => n.endsWith('_COMMIT'));
}

/** Every image the Dockerfiles build, with the commits it is built from. */
const built = new Map<string, { file: string; commits: string[] }>();
for (const { file, facts } of dockerfiles)
  for (const line of facts.images)
    built.set(line.ref, {
      file,
      commits: commitArgs(facts).flatMap((n) => argFor(facts, line.args, n) ?? []),
    });

/** The project's own images, built by images/build.sh from this repository: nn/<name> for each name it loops over. */
function projectImages(): Set<string> {
  const script = readFileSync(join(root, 'images', 'build.sh'), 'utf8');
  const loop = /for image in ([a-z0-9 -]+);/.exec(script);
  return new Set(
    (loop?.[1] ?? '')
      .trim()
      .split(/\s+/)
      .map((n) => `nn/${n}`),
  );
}

interface NamedImage {
  readonly network: string;
  readonly path: string;
  readonly ref: string;
  readonly commit: string | undefined;
}

/** Every `image: {ref, source}` of a network file, wherever it sits (daemons, assetchains). */
function namedImages(network: string, value: unknown, path: string, out: NamedImage[]): NamedImage[] {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) namedImages(network, v, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if (key === 'image' && v !== null && typeof v === 'object' && 'ref' in v && typeof v.ref === 'string') {
        const source = 'source' in v ? v.source : undefined;
        const commit =
          source !== null &&
          typeof source === 'object' &&
          'commit' in source &&
          typeof source.commit === 'string'
            ? source.commit
            : undefined;
        out.push({ network, path: `${path}.image`, ref: v.ref, commit });
      } else namedImages(network, v, `${path}.${key}`, out);
    }
  return out;
}

const networksDir = join(root, 'networks');
const networkImages = readdirSync(networksDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => namedImages(f, JSON.parse(readFileSync(join(networksDir, f), 'utf8')), '', []));

describe.each(dockerfiles)('images/real/$file', ({ facts }) => {
  it('names the images it builds in `# image:` lines', () => {
    expect(facts.images.length).toBeGreaterThan(0);
    for (const line of facts.images) expect(line.ref).toMatch(/^nn\/[a-z0-9-]+:[A-Za-z0-9_.-]+$/);
  });

  it('pins every source to a full 40-hex commit, the same in every stage and every image line', () => {
    const names = commitArgs(facts);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const defaults = facts.argDefaults.get(name) ?? [];
      expect(defaults.length, `${name} has a default`).toBeGreaterThan(0);
      for (const d of defaults) expect(d, name).toMatch(FULL_COMMIT);
      for (const line of facts.images)
        expect(argFor(facts, line.args, name), `${line.ref} ${name}`).toMatch(FULL_COMMIT);
    }
  });

  it('fetches sources only through git-checkout-verified, which checks the commit after the fetch', () => {
    expect(facts.rawGitCalls).toEqual([]);
    for (const ins of facts.verifiedCheckouts)
      expect(ins).toMatch(/git-checkout-verified "\$\{[A-Z_]+_REPO\}" "\$\{[A-Z_]+_COMMIT\}"/);
  });

  it('checks a SHA-256 wherever it downloads a release itself', () => {
    if (facts.downloads.length === 0) return;
    expect(facts.checksumChecks.length).toBeGreaterThan(0);
    expect([...facts.argNames].some((n) => n.endsWith('_SHA256'))).toBe(true);
  });

  it('runs as a non-root user and has a HEALTHCHECK', () => {
    expect(facts.user).toBeDefined();
    expect(facts.user).not.toMatch(/^(root|0)(:|$)/);
    expect(facts.healthcheck).toBe(true);
  });
});

describe('git-checkout-verified', () => {
  const script = join(here, 'git-checkout-verified.sh');
  it.each(['main', 'v1.0.0-beta25', '8f0b460', `${'a'.repeat(40)}0`, 'A'.repeat(40)])(
    'refuses %s before touching git',
    (commit) => {
      const run = spawnSync('sh', [script, 'https://invalid.example/repo.git', commit, '/nonexistent/x'], {
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('expected the full 40-digit lowercase hash');
    },
  );
});

describe('the network files', () => {
  const own = projectImages();

  it('name images, and the project images exclusion list is not empty', () => {
    expect(networkImages.length).toBeGreaterThan(0);
    expect(own.size).toBeGreaterThan(0);
  });

  it('name only images that a Dockerfile in images/real builds, from the commit they state', () => {
    const unbuilt: string[] = [];
    const wrongCommit: string[] = [];
    for (const img of networkImages) {
      if (own.has(img.ref.split(':')[0] ?? '')) continue;
      const by = built.get(img.ref);
      if (!by) {
        unbuilt.push(`${img.network} ${img.path}: ${img.ref}`);
        continue;
      }
      if (img.commit !== undefined && !by.commits.some((c) => c.startsWith(img.commit ?? '')))
        wrongCommit.push(
          `${img.network} ${img.path}: ${img.ref} at ${img.commit}, ${by.file} builds ${by.commits.join(', ')}`,
        );
    }
    expect(unbuilt).toEqual([]);
    expect(wrongCommit).toEqual([]);
  });
});
