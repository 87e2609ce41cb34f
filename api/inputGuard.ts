// Refuses, before any route sees them, request inputs that no route can handle safely (both found
// by test/reliability/fuzz.test.ts):
// - JSON nested deeper than any request of this API needs: a 60 KiB body of `[[[[…` parses, but
//   hashing or validating it recursively overflows the stack (a 500);
// - strings that are not well-formed text: a NUL character (PostgreSQL text cannot hold it, so a
//   request accepted with one leaves its workflow retrying the write forever) or a lone UTF-16
//   surrogate (silently stored as U+FFFD). Checked in the body, the query string and path
//   segments, iteratively, with 400 problem+json.
import type { RequestHandler } from 'express';
import { HttpProblem } from './problem';

/** The deepest body of the API is 4 levels; 32 leaves room and stays far from any stack limit. */
export const MAX_JSON_DEPTH = 32;

const NUL = '\u0000';
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const wellFormed = (s: string) => !s.includes(NUL) && !LONE_SURROGATE.test(s);

/** Problem found in a parsed value (depth or ill-formed strings), or undefined. */
export function inputProblem(value: unknown): 'too-deep' | 'invalid-text' | undefined {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > MAX_JSON_DEPTH) return 'too-deep';
    if (typeof v === 'string') {
      if (!wellFormed(v)) return 'invalid-text';
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (!wellFormed(k)) return 'invalid-text';
        stack.push([child, d + 1]);
      }
    }
  }
  return undefined;
}

export function guardInput(): RequestHandler {
  return (req, _res, next) => {
    const found = inputProblem(req.body) ?? inputProblem(req.query) ?? (req.path.includes('%00') || req.path.includes(NUL) ? 'invalid-text' : undefined);
    if (found === 'too-deep')
      return next(new HttpProblem(400, 'body-too-deep', 'The body is nested too deeply', `At most ${MAX_JSON_DEPTH} levels of objects and arrays`));
    if (found === 'invalid-text')
      return next(
        new HttpProblem(400, 'invalid-text', 'The request contains text that is not well-formed', 'No NUL characters and no unpaired UTF-16 surrogates'),
      );
    next();
  };
}
