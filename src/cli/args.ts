// A small argument parser: `--flag value`, `--flag=value`, boolean `--flag`, `--` ends flags.
// Unknown flags, missing values and wrong positional counts are usage errors (exit code 2).

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagKind = 'string' | 'boolean' | 'number' | 'list';

export interface CommandSpec {
  flags: Record<string, FlagKind>;
  /** Names of positional arguments, for messages; `?` suffix = optional; a last name with `...` takes any number. */
  positionals?: string[];
}

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | boolean | number | string[]>;
}

export function parseArgs(argv: string[], spec: CommandSpec, command: string): Parsed {
  const flags: Parsed['flags'] = {};
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (onlyPositionals || !a.startsWith('--') || a === '-') {
      positionals.push(a);
      continue;
    }
    if (a === '--') { onlyPositionals = true; continue; }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const kind = spec.flags[name];
    if (!kind) {
      const known = Object.keys(spec.flags).map((f) => `--${f}`).join(', ');
      throw new UsageError(`unknown option --${name} for "${command}"${known ? ` (known: ${known})` : ''}`);
    }
    if (kind === 'boolean') {
      if (eq >= 0) {
        const v = a.slice(eq + 1);
        if (!['true', 'false', '1', '0'].includes(v)) throw new UsageError(`--${name} takes no value (or true/false)`);
        flags[name] = v === 'true' || v === '1';
      } else {
        flags[name] = true;
      }
      continue;
    }
    let value: string;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (kind === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
      flags[name] = n;
    } else if (kind === 'list') {
      const prev = (flags[name] as string[] | undefined) ?? [];
      flags[name] = prev.concat(value.split(',').map((s) => s.trim()).filter(Boolean));
    } else {
      flags[name] = value;
    }
  }
  const names = spec.positionals ?? [];
  const required = names.filter((n) => !n.endsWith('?')).length;
  if (positionals.length < required) {
    throw new UsageError(`"${command}" needs ${names.filter((n) => !n.endsWith('?')).map((n) => n.toUpperCase()).join(' ')}`);
  }
  const variadic = names.length > 0 && names[names.length - 1].includes('...');
  if (!variadic && positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${positionals[names.length]}" for "${command}"`);
  }
  return { positionals, flags };
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function num(p: Parsed, name: string): number | undefined {
  const v = p.flags[name];
  return typeof v === 'number' ? v : undefined;
}

export function bool(p: Parsed, name: string): boolean {
  return p.flags[name] === true;
}

export function list(p: Parsed, name: string): string[] | undefined {
  const v = p.flags[name];
  return Array.isArray(v) ? v : undefined;
}

export function required(p: Parsed, name: string, command: string): string {
  const v = str(p, name);
  if (v === undefined || v === '') throw new UsageError(`"${command}" needs --${name}`);
  return v;
}
