// The pass-through bench's tools: nginx (Debian's package) as a reverse proxy, and wrk (Debian's
// package) as the one load generator for every path. Both are installed here when missing: benches
// are not in CI, so nothing else needs them.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function has(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program} || test -x /usr/sbin/${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** apt-get install nginx wrk when either is missing (Debian bookworm's packages). */
export function ensureNginxAndWrk(): void {
  if (has('nginx') && has('wrk')) return;
  process.stdout.write('installing nginx and wrk (apt-get) ...\n');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx', 'wrk'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/**
 * nginx with one worker (the sidecar is one event loop too), a keep-alive upstream pool to the daemon,
 * access log off, and the daemon's Basic auth set on the way in, as an operator would put it in front.
 */
export async function startNginx(
  dir: string,
  listenPort: number,
  daemonPort: number,
  daemonAuth: string,
): Promise<ChildProcess> {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  upstream daemon { server 127.0.0.1:${daemonPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://daemon;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "${daemonAuth}";
      proxy_buffering on;
    }
  }
}
`,
  );
  const child = spawn(
    NGINX,
    ['-p', dir, '-c', conf, '-e', join(dir, 'logs', 'error.log'), '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const until = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = existsSync(join(dir, 'logs', 'error.log'))
        ? readFileSync(join(dir, 'logs', 'error.log'), 'utf8')
        : '';
      throw new Error(`nginx exited ${child.exitCode}: ${log.slice(-500)}`);
    }
    try {
      const r = await fetch(`http://127.0.0.1:${listenPort}/`, {
        method: 'GET',
        signal: AbortSignal.timeout(1000),
      });
      await r.arrayBuffer();
      return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('nginx not listening after 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface WrkResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

// JSON-RPC POST bodies for wrk; done() prints the numbers as one JSON line (microseconds).
const LUA = `wrk.method = "POST"
wrk.body = '{"jsonrpc":"1.0","id":"bench","method":"getblockcount","params":[]}'
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('NNWRK {"requests":%d,"duration":%d,"p50":%d,"p99":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
`;

export function writeWrkScript(dir: string): string {
  const file = join(dir, 'jsonrpc-post.lua');
  writeFileSync(file, LUA);
  return file;
}

/** One wrk run (one thread) of `seconds` at `conns` connections; throws on any error or non-2xx. */
export function runWrk(
  script: string,
  url: string,
  authorization: string | undefined,
  conns: number,
  seconds: number,
): Promise<WrkResult> {
  const args = ['-t1', `-c${conns}`, `-d${seconds}s`, '-s', script];
  if (authorization) args.push('-H', `Authorization: ${authorization}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('NNWRK '));
      if (code !== 0 || !line) return reject(new Error(`wrk ${url} exited ${code}: ${out.slice(-300)}`));
      const r = JSON.parse(line.slice(6)) as Record<string, number>;
      const errors = (r.status ?? 0) + (r.connect ?? 0) + (r.read ?? 0) + (r.write ?? 0) + (r.timeout ?? 0);
      if (errors > 0) return reject(new Error(`wrk ${url}: ${errors} errors (${line})`));
      const requests = r.requests ?? 0;
      resolve({
        requests,
        rps: requests / ((r.duration ?? 1) / 1e6),
        p50Ms: (r.p50 ?? 0) / 1000,
        p99Ms: (r.p99 ?? 0) / 1000,
      });
    });
  });
}
