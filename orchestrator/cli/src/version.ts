import cliPackage from '../package.json' with { type: 'json' };

// nnctl's version: its package's, which is the workspace's (a test holds them equal). An import rather
// than a file read, so esbuild puts the value into the bundle and `node nnctl.mjs --version` needs no
// package.json beside it.
export const NNCTL_VERSION: string = cliPackage.version;
