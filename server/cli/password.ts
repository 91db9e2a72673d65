/**
 * Reading a new password for `sms106 user add` and `user passwd` (docs/cli.md#user): on a
 * terminal it is typed twice without echo, and a mismatch refuses it; from a pipe or a file it
 * is the first line of standard input, read once, so scripts keep working.
 */

/** What the two prompts on a terminal say. */
export interface PasswordPrompts {
  first: string;
  again: string;
}

/** The two passwords typed differ. */
export class PasswordMismatch extends Error {
  constructor() {
    super('the two passwords differ');
  }
}

/** Ctrl-C at a prompt. */
export class PasswordInterrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/** Standard input as the prompt uses it; a terminal has `isTTY` and `setRawMode`. */
export interface PasswordInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export async function readNewPassword(
  input: PasswordInput,
  output: { write: (text: string) => unknown },
  prompts: PasswordPrompts,
): Promise<string> {
  if (!input.isTTY || !input.setRawMode) {
    let text = '';
    input.setEncoding('utf8');
    for await (const chunk of input) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  const lines = hiddenLines(input, output);
  try {
    output.write(prompts.first);
    const first = await lines.next();
    output.write(prompts.again);
    const again = await lines.next();
    if (first !== again) throw new PasswordMismatch();
    return first;
  } finally {
    lines.close();
  }
}

/**
 * Lines typed on a terminal in raw mode, not echoed: Enter ends one (a newline is written in its
 * place), backspace takes back a character, Ctrl-D ends the line, Ctrl-C rejects with
 * PasswordInterrupted. Keys typed ahead of a prompt wait for it.
 */
function hiddenLines(input: PasswordInput, output: { write: (text: string) => unknown }) {
  const typed: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let line = '';
  let afterCarriageReturn = false;
  let interrupted = false;
  const deliver = (text: string) => {
    output.write('\n');
    const next = waiting.shift();
    if (next) next.resolve(text);
    else typed.push(text);
  };
  const onData = (chunk: Buffer | string) => {
    for (const char of String(chunk)) {
      // A terminal that sends CR LF for Enter ends one line, not two.
      if (char === '\n' && afterCarriageReturn) {
        afterCarriageReturn = false;
        continue;
      }
      afterCarriageReturn = char === '\r';
      if (char === '\r' || char === '\n' || char === '\u0004') {
        deliver(line);
        line = '';
      } else if (char === '\u0003') {
        interrupted = true;
        for (const pending of waiting.splice(0)) pending.reject(new PasswordInterrupted());
        return;
      } else if (char === '\u007f' || char === '\b') line = [...line].slice(0, -1).join('');
      else line += char;
    }
  };
  input.setRawMode!(true);
  input.setEncoding('utf8');
  input.on('data', onData);
  input.resume();
  return {
    next(): Promise<string> {
      if (interrupted) return Promise.reject(new PasswordInterrupted());
      const ready = typed.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    close(): void {
      input.off('data', onData);
      input.setRawMode!(false);
      input.pause();
    },
  };
}
