import fc from 'fast-check';

/**
 * Property tests run from a fixed seed so that `npm test` gives the same verdict on every machine:
 * a red CI must mean a regression, never an unlucky draw. To explore beyond that seed, run with
 * FC_SEED=random (or a number) and FC_RUNS=N; a failure prints the seed and path to replay it.
 */
const seedEnv = process.env['FC_SEED'];
const runsEnv = process.env['FC_RUNS'];
const seed = seedEnv === 'random' ? undefined : seedEnv !== undefined ? Number(seedEnv) : 20_261_121;
const numRuns = runsEnv !== undefined ? Number(runsEnv) : undefined;
if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${seedEnv}`);
if (numRuns !== undefined && !(Number.isInteger(numRuns) && numRuns > 0)) throw new Error(`FC_RUNS must be a positive integer, got ${runsEnv}`);
fc.configureGlobal({
  ...(seed !== undefined ? { seed } : {}),
  ...(numRuns !== undefined ? { numRuns } : {}),
});
