export type { ForeignResources } from './foreign-resources.js';
export { type SampleImages, type SampleUnit, sampleKmdFiles, sampleKmdUnit } from './sample-unit.js';
export { type ConformanceOptions, runtimeConformance } from './suite.js';
export { daemonAnswers, eventually, httpStatus } from './wait.js';
