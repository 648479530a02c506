import { describe, expect, it } from 'vitest';
import { imageRefSchema } from './image-ref.js';

describe('imageRefSchema', () => {
  it.each([
    'nn/devchain:0.1.0',
    'devchain',
    'ghcr.io/nn-project/komodod:2651eaf',
    'localhost:5000/nn/devchain:dev',
    'registry:5000/nn/devchain',
    `nn/komodod@sha256:${'a'.repeat(64)}`,
    `nn/komodod:v1@sha256:${'0'.repeat(64)}`,
  ])('accepts %s', (ref) => {
    expect(imageRefSchema.safeParse(ref).success).toBe(true);
  });

  it.each([
    '',
    'UPPER/case',
    'nn/devchain;rm -rf /',
    'nn/devchain:$(id)',
    'nn/devchain:tag with space',
    '-nn/devchain',
    'nn//devchain',
    `nn/komodod@sha256:${'a'.repeat(63)}`,
    `nn/${'a'.repeat(260)}`,
  ])('refuses %j', (ref) => {
    expect(imageRefSchema.safeParse(ref).success).toBe(false);
  });
});
