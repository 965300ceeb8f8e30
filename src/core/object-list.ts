/**
 * An empty array of the class V8 gives every array that has held an object (a string counts).
 *
 * V8 tracks what an array holds (its elements kind) in its hidden class, and only ever widens it:
 * a fresh `[]` holds small integers until an object is pushed, and `Object.freeze([])` is a class
 * of its own. Code optimised while it meets only such an empty array is thrown away the first time
 * a list of orders arrives (and compiled again), so a shared "nothing" answer that stands beside
 * lists of objects is made here instead: once held an object, then emptied, it has their class.
 * It is not frozen (freezing changes the class): share it only typed `readonly`. The same goes for
 * a list a long-lived object starts empty and pushes to in optimised code: a process that builds
 * the object again (a sweep's or a bench's next run) would hand that code a fresh `[]`.
 */
export function emptyObjectList<T extends object | string>(): T[] {
  const list: object[] = [PLACEHOLDER];
  list.pop();
  return list as T[];
}

const PLACEHOLDER = {};
