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
