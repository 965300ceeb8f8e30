/** Where the CLI writes: injected so tests capture output without touching the process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdoutIsTty: Boolean(process.stdout.isTTY),
  stderrIsTty: Boolean(process.stderr.isTTY),
};

/** Exit codes: 0 done, 1 runtime failure, 2 bad arguments or config. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
