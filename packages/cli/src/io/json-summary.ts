import type { CommandIo } from '../cli/command.js';
import { writeJsonFile } from './cloud-files.js';
import { JSON_TO_STDOUT } from './output-paths.js';

/**
 * Writes a command's `--json` summary: to the file `path`, or, when `path` is `-`, to standard
 * output (`io.json`, which the command line sets when `--json -` is given, while the human text
 * goes to stderr), as one JSON document followed by a newline.
 *
 * @example
 * ```ts
 * await writeJsonSummary('-', { n: 4 }, io); // stdout: {\n  "n": 4\n}\n
 * ```
 */
export async function writeJsonSummary(path: string, value: unknown, io: CommandIo): Promise<void> {
  if (path !== JSON_TO_STDOUT) return writeJsonFile(path, value);
  (io.json ?? io.stdout).write(`${JSON.stringify(value, null, 2)}\n`);
}
