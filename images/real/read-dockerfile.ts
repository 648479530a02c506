// The facts images/real's test checks in a Dockerfile, read without Docker: the images it builds
// (`# image: <ref> [ARG=value ...]` header lines), its ARG defaults, the last USER, whether it has a
// HEALTHCHECK, how it gets its sources. Line continuations are joined first, as Docker does.

export interface ImageLine {
  readonly ref: string;
  /** The build args that make this image (none: the Dockerfile's defaults). */
  readonly args: Readonly<Record<string, string>>;
}

export interface DockerfileFacts {
  readonly images: readonly ImageLine[];
  /** Every ARG default by name; an ARG repeated in several stages has one entry per occurrence. */
  readonly argDefaults: ReadonlyMap<string, readonly string[]>;
  /** Every ARG declared, with or without a default. */
  readonly argNames: ReadonlySet<string>;
  /** The last USER of the file (the runtime stage's), undefined when there is none. */
  readonly user: string | undefined;
  readonly healthcheck: boolean;
  /** Instructions (joined lines) that run `git clone` or `git fetch` directly, not through git-checkout-verified. */
  readonly rawGitCalls: readonly string[];
  /** Instructions that call git-checkout-verified. */
  readonly verifiedCheckouts: readonly string[];
  /** Instructions that download something with curl or wget themselves (a release archive, a key). */
  readonly downloads: readonly string[];
  /** Instructions that check a SHA-256 (`sha256sum -c`). */
  readonly checksumChecks: readonly string[];
}

const IMAGE_LINE = /^#\s*image:\s*(\S+)((?:\s+[A-Z][A-Z0-9_]*=\S+)*)\s*$/;

/** The `# image:` header lines, in order. */
function imageLines(text: string): ImageLine[] {
  const out: ImageLine[] = [];
  for (const line of text.split('\n')) {
    const m = IMAGE_LINE.exec(line.trim());
    if (!m?.[1]) continue;
    const args: Record<string, string> = {};
    for (const pair of (m[2] ?? '').trim().split(/\s+/).filter(Boolean)) {
      const eq = pair.indexOf('=');
      args[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    out.push({ ref: m[1], args });
  }
  return out;
}

/** The instructions of a Dockerfile: comments dropped, continuation lines joined. */
export function instructions(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    out.push((current + line).trim());
    current = '';
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

function unquote(value: string): string {
  return /^".*"$/.test(value) ? value.slice(1, -1) : value;
}

export function readDockerfile(text: string): DockerfileFacts {
  const argDefaults = new Map<string, string[]>();
  const argNames = new Set<string>();
  let user: string | undefined;
  let healthcheck = false;
  const rawGitCalls: string[] = [];
  const verifiedCheckouts: string[] = [];
  const downloads: string[] = [];
  const checksumChecks: string[] = [];
  for (const ins of instructions(text)) {
    const [keyword = '', ...rest] = ins.split(/\s+/);
    const body = rest.join(' ');
    switch (keyword.toUpperCase()) {
      case 'ARG': {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(body);
        if (m?.[1]) argNames.add(m[1]);
        if (m?.[1] && m[2] !== undefined)
          argDefaults.set(m[1], [...(argDefaults.get(m[1]) ?? []), unquote(m[2])]);
        break;
      }
      case 'USER':
        user = body;
        break;
      case 'HEALTHCHECK':
        healthcheck = !/^NONE\b/i.test(body);
        break;
      case 'RUN':
        if (/\bgit\s+(clone|fetch)\b/.test(body)) rawGitCalls.push(ins);
        if (/\bgit-checkout-verified\s/.test(body)) verifiedCheckouts.push(ins);
        // A call with options or a URL; `apt-get install curl ...` is not a download.
        if (/\b(curl|wget)\s+(-|"?https?:)/.test(body)) downloads.push(ins);
        if (/\bsha256sum\s+(-c|--check)\b/.test(body)) checksumChecks.push(ins);
        break;
    }
  }
  return {
    images: imageLines(text),
    argDefaults,
    argNames,
    user,
    healthcheck,
    rawGitCalls,
    verifiedCheckouts,
    downloads,
    checksumChecks,
  };
}
