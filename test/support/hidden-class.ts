import { setFlagsFromString } from 'node:v8';

// V8's own test of two objects' hidden class, compiled once with natives syntax allowed.
setFlagsFromString('--allow-natives-syntax');
const same = new Function('a', 'b', 'return %HaveSameMap(a, b);') as (a: object, b: object) => boolean;

/** An array that has held an object: the class every list of objects has (see emptyObjectList). */
export const OBJECT_LIST: readonly object[] = [{ held: true }];

/** Whether V8 gives `a` and `b` the same hidden class (map). */
export function sameHiddenClass(a: object, b: object): boolean {
  return same(a, b);
}

const prepare = new Function('f', '%PrepareFunctionForOptimization(f);') as (f: unknown) => void;
const optimiseNext = new Function('f', '%OptimizeFunctionOnNextCall(f);') as (f: unknown) => void;

/**
 * `call`'s result with `fn` (which `call` calls) optimised by TurboFan: two calls to gather
 * feedback, then one optimised. Code inlined into optimised code may build its objects otherwise
 * than the interpreter does (a `map` result is packed from the builtin, holey when inlined).
 */
export function optimisedCall<T>(fn: unknown, call: () => T): T {
  prepare(fn);
  call();
  call();
  optimiseNext(fn);
  return call();
}

const status = new Function('f', 'return %GetOptimizationStatus(f);') as (f: unknown) => number;

/** Whether `fn` runs optimised code now (V8's status bit 4): false once its code is thrown away. */
export function isOptimised(fn: unknown): boolean {
  return (status(fn) & 16) !== 0;
}
