import { describe, expect, it } from 'vitest';
import { emptyObjectList } from '../../../src/core/object-list.js';
import { OBJECT_LIST, sameHiddenClass } from '../../support/hidden-class.js';

describe('emptyObjectList', () => {
  it('is empty and has the hidden class of a list that holds objects, which [] and a frozen [] do not', () => {
    const list = emptyObjectList<{ id: number }>();
    expect(list).toEqual([]);
    expect(sameHiddenClass(list, OBJECT_LIST)).toBe(true);
    // What the helper is for: the other empty arrays are of another class.
    expect(sameHiddenClass([], OBJECT_LIST)).toBe(false);
    expect(sameHiddenClass(Object.freeze([]), OBJECT_LIST)).toBe(false);
  });

  it('is a new array each time, which keeps its class once filled', () => {
    const a = emptyObjectList<{ id: number }>();
    const b = emptyObjectList<{ id: number }>();
    a.push({ id: 1 });
    expect(a).toEqual([{ id: 1 }]);
    expect(b).toEqual([]);
    expect(sameHiddenClass(a, b)).toBe(true);
  });
});
