import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONFIG_FILE = 'layers.json';

export interface Layer {
  readonly name: string;
  readonly packages: readonly string[];
}

/** Packages of `importerLayers` may import `packages` only through one of `onlySubpaths`. */
export interface Restriction {
  readonly importerLayers: readonly string[];
  readonly packages: readonly string[];
  readonly onlySubpaths: readonly string[];
  readonly reason: string;
}

export interface LayersConfig {
  /** Lowest first: a package may import its own layer and the layers before it. */
  readonly layers: readonly Layer[];
  readonly restrictions: readonly Restriction[];
}

/**
 * Thrown when an input of the check (layers.json, pnpm-workspace.yaml, a package.json) is missing or
 * malformed: the check cannot run, which is not a violation.
 */
export class LayersInputError extends Error {
  override readonly name = 'LayersInputError';
}

export function readLayersConfig(root: string): LayersConfig {
  const path = join(root, CONFIG_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new LayersInputError(`${CONFIG_FILE}: cannot be read as JSON: ${(err as Error).message}`);
  }
  return parseLayersConfig(raw);
}

export function parseLayersConfig(raw: unknown): LayersConfig {
  if (!isRecord(raw)) throw new LayersInputError(`${CONFIG_FILE}: must be an object`);
  const layersRaw = raw.layers;
  if (!Array.isArray(layersRaw) || layersRaw.length === 0) {
    throw new LayersInputError(`${CONFIG_FILE}: layers must be a non-empty array, lowest layer first`);
  }
  const layers = layersRaw.map((layer, i) => parseLayer(layer, `layers[${i}]`));
  rejectDuplicates(layers);
  const restrictionsRaw = raw.restrictions ?? [];
  if (!Array.isArray(restrictionsRaw)) {
    throw new LayersInputError(`${CONFIG_FILE}: restrictions must be an array`);
  }
  const restrictions = restrictionsRaw.map((r, i) => parseRestriction(r, `restrictions[${i}]`, layers));
  return { layers, restrictions };
}

function parseLayer(raw: unknown, at: string): Layer {
  if (!isRecord(raw)) throw new LayersInputError(`${CONFIG_FILE}: ${at} must be an object`);
  return {
    name: nonEmptyString(raw.name, `${at}.name`),
    packages: stringArray(raw.packages, `${at}.packages`),
  };
}

function parseRestriction(raw: unknown, at: string, layers: readonly Layer[]): Restriction {
  if (!isRecord(raw)) throw new LayersInputError(`${CONFIG_FILE}: ${at} must be an object`);
  const importerLayers = stringArray(raw.importerLayers, `${at}.importerLayers`);
  for (const name of importerLayers) {
    if (!layers.some((l) => l.name === name)) {
      throw new LayersInputError(`${CONFIG_FILE}: ${at}.importerLayers names '${name}', which is no layer`);
    }
  }
  const packages = stringArray(raw.packages, `${at}.packages`);
  for (const name of packages) {
    if (!layers.some((l) => l.packages.includes(name))) {
      throw new LayersInputError(`${CONFIG_FILE}: ${at}.packages names '${name}', which is in no layer`);
    }
  }
  const onlySubpaths = stringArray(raw.onlySubpaths, `${at}.onlySubpaths`);
  for (const subpath of onlySubpaths) {
    if (!subpath.startsWith('./')) {
      throw new LayersInputError(
        `${CONFIG_FILE}: ${at}.onlySubpaths entry '${subpath}' must start with './' (as in "exports")`,
      );
    }
  }
  return { importerLayers, packages, onlySubpaths, reason: nonEmptyString(raw.reason, `${at}.reason`) };
}

function rejectDuplicates(layers: readonly Layer[]): void {
  const layerOf = new Map<string, string>();
  const names = new Set<string>();
  for (const layer of layers) {
    if (names.has(layer.name))
      throw new LayersInputError(`${CONFIG_FILE}: layer '${layer.name}' is declared twice`);
    names.add(layer.name);
    for (const pkg of layer.packages) {
      const earlier = layerOf.get(pkg);
      if (earlier !== undefined) {
        throw new LayersInputError(
          `${CONFIG_FILE}: ${pkg} is in two layers ('${earlier}' and '${layer.name}')`,
        );
      }
      layerOf.set(pkg, layer.name);
    }
  }
}

function nonEmptyString(value: unknown, at: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new LayersInputError(`${CONFIG_FILE}: ${at} must be a non-empty string`);
  }
  return value;
}

function stringArray(value: unknown, at: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw new LayersInputError(`${CONFIG_FILE}: ${at} must be an array of non-empty strings`);
  }
  return value as string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
