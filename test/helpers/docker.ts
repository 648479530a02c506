import { PassThrough } from 'node:stream';
import Docker from 'dockerode';

export const docker = new Docker();

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in a container; dockerode multiplexes stdout/stderr and needs inspect() for the exit code. */
export async function execIn(containerName: string, cmd: string[]): Promise<ExecResult> {
  const exec = await docker
    .getContainer(containerName)
    .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  err.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, stdout, stderr };
}

/** Everything carrying the project's ownership label and a given nn.project label. */
export async function labelled(
  project: string,
): Promise<{ containers: string[]; volumes: string[]; networks: string[] }> {
  const filters = { label: ['nn.managed-by=notary-control-plane', `nn.project=${project}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const volumes = await docker.listVolumes({ filters });
  const networks = await docker.listNetworks({ filters });
  return {
    containers: containers.map((c) => c.Id),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
    networks: networks.map((n) => n.Id),
  };
}

/** Removes, by id, whatever a test project left behind (used after failures too). */
export async function removeProject(project: string): Promise<void> {
  const left = await labelled(project);
  for (const id of left.containers) await docker.getContainer(id).remove({ force: true });
  for (const id of left.networks) await docker.getNetwork(id).remove();
  for (const name of left.volumes) await docker.getVolume(name).remove();
}
