import { z } from 'zod';

// A container image reference as the Docker distribution grammar defines it
// (github.com/distribution/reference, reference.go): [registry[:port]/]path[:tag][@sha256:digest].
// Only what that grammar allows passes, so the value is safe as a single argv word or API field.

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
// A first component is a registry only with a dot, a port or as localhost (as the distribution parser decides).
const HOST_PART = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const REGISTRY = `(?:(?:localhost|${HOST_PART}(?:\\.${HOST_PART})+)(?::[0-9]{1,5})?/|${HOST_PART}:[0-9]{1,5}/)`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}';
const IMAGE_REF = new RegExp(`^${REGISTRY}?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

export const IMAGE_REF_MAX = 255;

/** An image reference, e.g. `ghcr.io/nn/devchain:0.1.0` or `nn/komodod@sha256:...`. */
export const imageRefSchema = z
  .string({ error: 'must be a string (an image reference)' })
  .max(IMAGE_REF_MAX, { error: `at most ${IMAGE_REF_MAX} characters` })
  .regex(IMAGE_REF, {
    error: 'not an image reference ([registry/]name[:tag][@sha256:digest], lower-case name)',
  })
  .brand<'ImageRef'>();
export type ImageRef = z.infer<typeof imageRefSchema>;
