// The two lexical pieces of Ansible's INI inventory plugin:
//  - host lines are split with Python's shlex.split(line, comments=True) (POSIX rules), and
//  - every value goes through ast.literal_eval, falling back to the raw string.
// So `port=22` is the int 22, `x="a b"` is the string "a b", `flag=True` is a boolean, but
// `flag=true` stays the string "true" and `ip=10.0.0.1` stays a string.

const WS = ' \t\r\n';

/** shlex.split(s, comments=True) in POSIX mode; throws Error like Python's ValueError. */
export function shlexSplit(s: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let quoted = false;
  let state: ' ' | 'a' | "'" | '"' | '\\' = ' ';
  let escaped: 'a' | '"' = 'a';
  const emit = (): void => {
    if (token !== '' || quoted) tokens.push(token);
    token = '';
    quoted = false;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (state === ' ' || state === 'a') {
      if (WS.includes(c)) {
        if (state === 'a') emit();
        state = ' ';
      } else if (c === '#') {
        if (state === 'a') emit();
        state = ' ';
        break;
      } else if (c === "'" || c === '"') {
        state = c;
        quoted = true;
      } else if (c === '\\') {
        escaped = 'a';
        state = '\\';
      } else {
        token += c;
        state = 'a';
      }
    } else if (state === "'") {
      if (c === "'") state = 'a';
      else token += c;
    } else if (state === '"') {
      if (c === '"') state = 'a';
      else if (c === '\\') {
        escaped = '"';
        state = '\\';
      } else token += c;
    } else {
      // escape state: inside double quotes only \" and \\ are escapes, the backslash stays otherwise
      if (escaped === '"' && c !== '"' && c !== '\\') token += '\\';
      token += c;
      state = escaped;
    }
  }
  if (state === "'" || state === '"') throw new Error('No closing quotation');
  if (state === '\\') throw new Error('No escaped character');
  if (state === 'a') emit();
  return tokens;
}

/** Ansible's InventoryModule._parse_value: ast.literal_eval, else the string itself. */
export function parseIniValue(v: string): unknown {
  const r = literalEval(v);
  return r.ok ? r.value : v;
}

type Lit = { ok: true; value: unknown } | { ok: false };

/** A small ast.literal_eval: strings, numbers, True/False/None, lists, tuples, dicts and sets. */
export function literalEval(src: string): Lit {
  const p = new LiteralParser(src.replace(/^[ \t]+/, ''));
  try {
    const value = p.value();
    p.ws();
    return p.done() ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
}

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  ws(): void {
    while (this.i < this.s.length && ' \t'.includes(this.s.charAt(this.i))) this.i++;
  }

  private fail(): never {
    throw new Error('not a literal');
  }

  value(): unknown {
    this.ws();
    const c = this.s.charAt(this.i);
    if (c === '[') return this.seq(']');
    if (c === '(') return this.seq(')');
    if (c === '{') return this.dict();
    if (c === "'" || c === '"' || (/[uUrR]/.test(c) && /['"]/.test(this.s.charAt(this.i + 1)))) return this.strings();
    if (/[-+0-9.]/.test(c)) return this.number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i))?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      this.i += word.length;
      return word === 'True' ? true : word === 'False' ? false : null;
    }
    return this.fail();
  }

  private seq(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    let sawComma = false;
    for (;;) {
      this.ws();
      if (this.s.charAt(this.i) === close) {
        this.i++;
        // (x) is just x in Python; (x,) is a tuple
        if (close === ')' && out.length === 1 && !sawComma) return out[0] as unknown[];
        return out;
      }
      out.push(this.value());
      this.ws();
      if (this.s.charAt(this.i) === ',') {
        this.i++;
        sawComma = true;
      } else if (this.s.charAt(this.i) !== close) this.fail();
    }
  }

  private dict(): unknown {
    this.i++;
    const obj: Record<string, unknown> = {};
    const set: unknown[] = [];
    let kind: 'dict' | 'set' | undefined;
    for (;;) {
      this.ws();
      if (this.s.charAt(this.i) === '}') {
        this.i++;
        return kind === 'set' ? set : obj;
      }
      const k = this.value();
      this.ws();
      if (this.s.charAt(this.i) === ':') {
        if (kind === 'set') this.fail();
        kind = 'dict';
        this.i++;
        obj[String(k)] = this.value();
      } else {
        if (kind === 'dict') this.fail();
        kind = 'set';
        set.push(k);
      }
      this.ws();
      if (this.s.charAt(this.i) === ',') this.i++;
      else if (this.s.charAt(this.i) !== '}') this.fail();
    }
  }

  /** One or more adjacent string literals ('a' "b" is 'ab' in Python). */
  private strings(): string {
    let out = this.string();
    for (;;) {
      const save = this.i;
      this.ws();
      const c = this.s.charAt(this.i);
      if (c === "'" || c === '"' || (/[uUrR]/.test(c) && /['"]/.test(this.s.charAt(this.i + 1)))) out += this.string();
      else {
        this.i = save;
        return out;
      }
    }
  }

  private string(): string {
    let raw = false;
    const prefix = this.s.charAt(this.i);
    if (/[uUrR]/.test(prefix)) {
      raw = prefix === 'r' || prefix === 'R';
      this.i++;
    }
    const q = this.s.charAt(this.i);
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const delim = triple ? q.repeat(3) : q;
    this.i += delim.length;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail();
      if (this.s.startsWith(delim, this.i)) {
        this.i += delim.length;
        return out;
      }
      const c = this.s.charAt(this.i);
      if (!triple && c === '\n') this.fail();
      if (c === '\\') {
        const n = this.s.charAt(this.i + 1);
        if (raw) {
          out += c + n;
          this.i += 2;
          continue;
        }
        this.i += 2;
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };
        if (n === 'x' || n === 'u' || n === 'U') {
          const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
          const hex = this.s.slice(this.i, this.i + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail();
          out += String.fromCodePoint(parseInt(hex, 16));
          this.i += len;
        } else if (n in simple) out += simple[n];
        else out += `\\${n}`;
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private number(): number {
    const m = /^[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9_]+)?)/.exec(
      this.s.slice(this.i),
    );
    const text = m?.[0] ?? '';
    const body = text.replace(/^[-+]/, '');
    if (body === '' || body === '.' || /__|_$|^_|_\.|\._/.test(body)) this.fail();
    const sign = text.startsWith('-') ? -1 : 1;
    const clean = body.replace(/_/g, '');
    let n: number;
    if (/^0[xX]/.test(clean)) n = parseInt(clean.slice(2), 16);
    else if (/^0[oO]/.test(clean)) n = parseInt(clean.slice(2), 8);
    else if (/^0[bB]/.test(clean)) n = parseInt(clean.slice(2), 2);
    else if (/^[0-9]+$/.test(clean)) {
      if (clean.length > 1 && clean.startsWith('0') && /[1-9]/.test(clean)) this.fail(); // 007 is a SyntaxError
      n = Number(clean);
      if (!Number.isSafeInteger(n)) this.fail();
    } else n = Number(clean);
    if (Number.isNaN(n)) this.fail();
    this.i += text.length;
    if (/^[jJ]/.test(this.s.charAt(this.i))) this.fail(); // complex numbers: keep the raw string
    return sign * n;
  }
}
