/**
 * `pnpm cope <command>` (see `../cli/run.ts` and `pnpm cope help`): creates accounts and organisations from
 * the command line, whether or not the server runs on the same data folder.
 */
import { runCli } from '../cli/run';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
// Pipes and files get stdout synchronously on Linux, so nothing written is lost by exiting now; exiting
// explicitly means no stray handle can keep a finished command running.
process.exit(code);
