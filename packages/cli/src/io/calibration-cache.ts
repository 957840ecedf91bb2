import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, homedir, hostname, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { CalibrationStore, StoredCalibration } from '@sinkflow/ot';

/** The packages whose versions a calibration depends on (the candidates and their runtimes). */
const VERSIONED_PACKAGES = [
  '@sinkflow/cli',
  '@sinkflow/ot',
  '@sinkflow/backend-tfjs',
  '@sinkflow/backend-gpujs',
] as const;

/** Optional runtimes found from the backend packages: installing one changes the candidates. */
const OPTIONAL_RUNTIMES = {
  '@sinkflow/backend-tfjs': [
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-backend-webgpu',
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
    'webgpu',
  ],
  '@sinkflow/backend-gpujs': ['gpu.js', 'gl', 'webgpu'],
} as const;

/**
 * The folder of sinkflow's caches: `$XDG_CACHE_HOME/sinkflow`, or `~/.cache/sinkflow`.
 *
 * @example
 * ```ts
 * cacheDirectory(); // '/home/ada/.cache/sinkflow'
 * ```
 */
export function cacheDirectory(environment: NodeJS.ProcessEnv = process.env): string {
  const base = environment.XDG_CACHE_HOME;
  return join(base !== undefined && base !== '' ? base : join(homedir(), '.cache'), 'sinkflow');
}

/**
 * What a calibration depends on besides its candidates and shape: this machine (host name, CPU
 * model and count, memory, platform, Node version) and the versions of the sinkflow packages and
 * of the optional runtimes installed next to the backends (`absent` when not installed).
 */
export function calibrationContext(): Readonly<Record<string, string>> {
  const require = createRequire(import.meta.url);
  const versionOf = (name: string, from: NodeJS.Require = require): string => {
    try {
      return (from(`${name}/package.json`) as { version?: string }).version ?? 'unknown';
    } catch {
      return 'absent';
    }
  };
  const context: Record<string, string> = {
    host: hostname(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: String(cpus().length),
    memory: String(totalmem()),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
  };
  for (const name of VERSIONED_PACKAGES) context[name] = versionOf(name);
  for (const [backend, runtimes] of Object.entries(OPTIONAL_RUNTIMES)) {
    let from: NodeJS.Require;
    try {
      from = createRequire(require.resolve(`${backend}/package.json`));
    } catch {
      continue;
    }
    for (const runtime of runtimes) context[`${backend} ${runtime}`] = versionOf(runtime, from);
  }
  return context;
}

/**
 * The calibration store of `--backend auto`: one JSON file per machine and package versions,
 * `<cache>/calibration-<sha256 of the context, 16 hex>.json` in {@link cacheDirectory}, holding
 * the context (for people) and the runs by candidates and shape. An unreadable or malformed file
 * is a miss; writes go through a temporary file and a rename, so concurrent processes (a sweep's
 * runs) never read half a file.
 *
 * @example
 * ```ts
 * const store = fileCalibrationStore();
 * store.path; // '/home/ada/.cache/sinkflow/calibration-3f2a9c1d0b7e4a55.json'
 * ```
 */
export function fileCalibrationStore({
  directory = cacheDirectory(),
  context = calibrationContext(),
}: {
  /** @default cacheDirectory() */
  readonly directory?: string;
  /** @default calibrationContext() */
  readonly context?: Readonly<Record<string, string>>;
} = {}): CalibrationStore & { readonly path: string } {
  const digest = createHash('sha256').update(JSON.stringify(context)).digest('hex').slice(0, 16);
  const path = join(directory, `calibration-${digest}.json`);
  const readRuns = async (): Promise<Record<string, StoredCalibration>> => {
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as { runs?: unknown };
      return typeof parsed.runs === 'object' && parsed.runs !== null
        ? (parsed.runs as Record<string, StoredCalibration>)
        : {};
    } catch {
      return {};
    }
  };
  return {
    path,
    read: async (key) => (await readRuns())[key],
    write: async (key, value) => {
      const runs = { ...(await readRuns()), [key]: value };
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify({ context, runs }, null, 2)}\n`);
      await rename(temporary, path);
    },
  };
}
