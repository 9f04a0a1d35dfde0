// A small line logger: "2026-01-01T00:00:00.000Z [broker] message". Pass a sink to capture lines.
export type LogSink = (line: string) => void;

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
  child(tag: string): Logger;
}

const DEBUG = !!process.env.PM_DEBUG;

export function makeLogger(tag: string, sink: LogSink = (l) => process.stderr.write(l + '\n')): Logger {
  const emit = (level: string, msg: string) => sink(`${new Date().toISOString()} ${level} [${tag}] ${msg}`);
  return {
    info: (m) => emit('INFO ', m),
    warn: (m) => emit('WARN ', m),
    error: (m) => emit('ERROR', m),
    debug: (m) => { if (DEBUG) emit('DEBUG', m); },
    child: (t) => makeLogger(`${tag}/${t}`, sink),
  };
}

const sinks = new Set<() => void>();

/** Writes out what the buffered sinks hold now (before a line on stdout that must come after them). */
export function flushLogs(): void { for (const f of sinks) f(); }

/**
 * A sink writing to stderr once per event-loop turn: the lines logged in one turn go out in one
 * write (a pipe write is a blocking syscall on Linux; a broker at 1,000 submissions/s logs two
 * lines per job). Lines keep their order; whatever is still buffered is written at process exit.
 * A process killed with -9 loses at most the lines of its last turn.
 */
export function bufferedStderrSink(): LogSink {
  let buf: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (buf.length === 0) return;
    const text = buf.join('');
    buf = [];
    process.stderr.write(text);
  };
  process.once('exit', flush);
  sinks.add(flush);
  return (line) => {
    buf.push(line + '\n');
    if (!scheduled) { scheduled = true; setImmediate(flush).unref(); }
  };
}

/** A logger that drops everything. */
export const nullLogger: Logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return nullLogger; } };
