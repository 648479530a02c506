import * as k8s from '@kubernetes/client-node';

// Fields the Kubernetes API does not know. kubernetes-models validates types, required fields and formats
// against the OpenAPI schema but lets unknown fields through (the schema does not forbid them), and the
// API server drops or refuses them (kubectl's strict field validation). The official client's models are
// generated from the same OpenAPI document with a field map per type: each object is walked against it.

interface AttributeType {
  readonly baseName: string;
  readonly type: string;
}
type ModelClass = { getAttributeTypeMap(): AttributeType[] };

const models = k8s as unknown as Record<string, ModelClass | undefined>;

/** The client's model of a type name (V1StatefulSet), or undefined for a primitive or free-form type. */
function modelOf(type: string): ModelClass | undefined {
  const m = models[type];
  return m && typeof m.getAttributeTypeMap === 'function' ? m : undefined;
}

function walk(value: unknown, type: string, at: string, out: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value))
      for (const [i, v] of value.entries()) walk(v, array[1] ?? '', `${at}[${i}]`, out);
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, map[1] ?? '', `${at}.${k}`, out);
    return;
  }
  const model = modelOf(type);
  if (!model || typeof value !== 'object' || Array.isArray(value)) return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    const t = fields.get(k);
    if (t === undefined) out.push(`${at}.${k}`);
    else walk(v, t, `${at}.${k}`, out);
  }
}

/** The client's type name of an object (apps/v1 StatefulSet → V1StatefulSet), or undefined. */
export function typeNameOf(apiVersion: string, kind: string): string | undefined {
  const version = apiVersion.split('/').at(-1) ?? '';
  const name = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  return modelOf(name) ? name : undefined;
}

/** Paths of the fields of `object` that its Kubernetes type does not have. */
export function unknownFields(object: { apiVersion: string; kind: string }): string[] {
  const type = typeNameOf(object.apiVersion, object.kind);
  if (!type) throw new Error(`the client has no model of ${object.apiVersion} ${object.kind}`);
  const out: string[] = [];
  walk(object, type, object.kind, out);
  return out;
}
