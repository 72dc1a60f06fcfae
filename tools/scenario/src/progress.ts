/** A progress bar per phase on a terminal (cli-progress), plain lines otherwise (CI, logs, tests). */
import cliProgress from 'cli-progress';

export interface Phase {
  tick(n?: number): void;
  done(note?: string): void;
}

export interface Progress {
  phase(name: string, total: number): Phase;
  say(line: string): void;
}

export function createProgress(options: { tty?: boolean; quiet?: boolean } = {}): Progress {
  const tty = options.tty ?? Boolean(process.stdout.isTTY);
  const say = (line: string) => {
    if (!options.quiet) process.stdout.write(`${line}\n`);
  };
  return {
    say,
    phase(name, total) {
      const started = Date.now();
      let value = 0;
      const bar =
        tty && !options.quiet
          ? new cliProgress.SingleBar(
              { format: `${name.padEnd(28)} [{bar}] {value}/{total} {duration}s`, hideCursor: true },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      bar?.start(Math.max(total, 1), 0);
      let lastLine = 0;
      return {
        tick(n = 1) {
          value += n;
          bar?.update(value);
          if (!bar && Date.now() - lastLine > 10_000) {
            lastLine = Date.now();
            say(`${name}: ${value}/${total}`);
          }
        },
        done(note) {
          bar?.update(value);
          bar?.stop();
          say(
            `${name}: ${value}/${total} in ${((Date.now() - started) / 1000).toFixed(1)} s${note ? ` — ${note}` : ''}`,
          );
        },
      };
    },
  };
}
