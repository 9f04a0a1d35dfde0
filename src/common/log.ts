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

/** A logger that drops everything. */
export const nullLogger: Logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return nullLogger; } };
