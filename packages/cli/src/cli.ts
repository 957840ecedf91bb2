#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';
import { allCommands } from './commands/all-commands.js';

process.exitCode = await runCli(process.argv.slice(2), allCommands, {
  stdout: process.stdout,
  stderr: process.stderr,
});
