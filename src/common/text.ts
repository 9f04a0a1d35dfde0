// Text one party sends that another reads (a prover's name, its error text and progress stage,
// shown in other tenants' terminals): control characters removed where the broker accepts it,
// and escaped again where the CLI prints it (defence in depth: a broker of an older version, or
// any other source, may still send them).

/**
 * C0 controls (U+0000–U+001F: ESC, CR, BEL, …), DEL, C1 controls (U+0080–U+009F: the 8-bit CSI,
 * OSC, …) and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
 * which reorder what a terminal shows.
 */
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_NEWLINE_RE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Every control character replaced by a space ("\x1b[2J" → " [2J"), then cut to `maxChars` (ending in "…" when cut). */
export function cleanText(s: string, maxChars: number): string {
  const t = (s ?? '').replace(CONTROL_RE, ' ');
  return t.length > maxChars ? `${t.slice(0, Math.max(0, maxChars - 1))}…` : t;
}

/**
 * Text for a terminal: every control character but the newline shown as an escape ("\x1b",
 * "\u202e") instead of acted on. Idempotent (an escape holds no control character).
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL_BUT_NEWLINE_RE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** JSON.stringify's text with the characters it leaves raw (DEL, C1, bidi controls) written as \u escapes too: still valid JSON. */
export function escapeJsonControl(json: string): string {
  return json.replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
