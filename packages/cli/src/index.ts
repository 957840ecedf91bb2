export { cliVersion } from './cli/cli-version.js';
export type { Command, CommandEntry, CommandIo, LazyCommand } from './cli/command.js';
export { EXIT, runCli } from './cli/run-cli.js';
export { allCommands } from './commands/all-commands.js';
