// Page functions that measure a page's layout in the browser (passed to page.evaluate as functions,
// not strings: the dashboard's Content-Security-Policy forbids evaluating strings). They run in the
// page, so they may use nothing from this module's scope; the test compiles without the DOM
// library, hence the few structural types below.

interface Rect {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
}
interface El {
  readonly tagName: string;
  readonly id: string;
  readonly className: unknown;
  readonly clientWidth: number;
  readonly scrollWidth: number;
  readonly textContent: string | null;
  readonly parentElement: El | null;
  getBoundingClientRect(): Rect;
}
interface Style {
  readonly display: string;
  readonly position: string;
  readonly overflowX: string;
  readonly visibility: string;
}
interface Ctx2d {
  font: string;
  measureText(t: string): { width: number };
}
declare const document: {
  readonly documentElement: El;
  querySelectorAll(sel: string): Iterable<El>;
  querySelector(sel: string): El | null;
  createElement(tag: 'canvas'): { getContext(kind: '2d'): Ctx2d };
};
declare const window: { readonly innerWidth: number; getComputedStyle(el: El): Style } & Record<string, unknown>;

/** A uPlot instance as far as the tick check reads it (uPlot 1.6 keeps the drawn ticks on each axis). */
interface UplotAxis {
  readonly show: boolean;
  readonly side: number;
  readonly scale: string;
  readonly font: readonly [string, number, number];
  readonly lineGap: number;
  readonly _show?: boolean;
  readonly _splits?: readonly number[] | null;
  readonly _values?: readonly (string | number | null)[] | null;
}
interface Uplot {
  readonly axes: readonly UplotAxis[];
  valToPos(v: number, scale: string): number;
}

/**
 * Everything on the page wider than its container: the document wider than the viewport, any
 * element whose content is wider than its own box (scrollWidth > clientWidth: overflowing, or cut
 * off by `overflow: hidden` / an ellipsis), and any in-flow element sticking out of its parent's box.
 * Returns one line per problem (empty: the layout fits). 1 px of rounding is allowed.
 */
export function layoutProblems(): string[] {
  const out: string[] = [];
  const name = (el: El): string => {
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}`;
  };
  const path = (el: El): string => {
    const parts: string[] = [];
    for (let e: El | null = el; e && parts.length < 4; e = e.parentElement) parts.unshift(name(e));
    return parts.join(' > ');
  };
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) out.push(`document is ${root.scrollWidth}px wide in a ${window.innerWidth}px viewport`);
  const hidden = (el: El): boolean => {
    for (let e: El | null = el; e; e = e.parentElement) {
      const s = window.getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const s = window.getComputedStyle(el);
    if (s.display === 'inline' || s.display === 'contents' || hidden(el)) continue;
    const text = (el.textContent ?? '').trim().slice(0, 40);
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) out.push(`${path(el)}: content ${el.scrollWidth}px in a ${el.clientWidth}px box ("${text}")`);
    const parent = el.parentElement;
    if (!parent || s.position === 'absolute' || s.position === 'fixed') continue;
    const r = el.getBoundingClientRect();
    const p = parent.getBoundingClientRect();
    if (r.width > 0 && (r.left < p.left - 1 || r.right > p.right + 1)) {
      out.push(`${path(el)}: [${Math.round(r.left)}, ${Math.round(r.right)}] sticks out of its parent [${Math.round(p.left)}, ${Math.round(p.right)}] ("${text}")`);
    }
  }
  return out;
}

/**
 * Tick labels that overlap on a chart axis, for every uPlot chart under `window[key].charts`:
 * each label's box (its widest line's width on horizontal axes, its lines' height on vertical
 * ones) must be disjoint from its neighbours'. Returns one line per overlap, naming the labels.
 */
export function tickOverlaps(key: string): string[] {
  const out: string[] = [];
  const holder = window[key] as { charts: Record<string, Uplot> } | undefined;
  const ctx = document.createElement('canvas').getContext('2d');
  for (const [id, u] of Object.entries(holder?.charts ?? {})) {
    u.axes.forEach((a, k) => {
      if (!a.show || a._show === false || !a._splits || !a._values) return;
      ctx.font = a.font[0];
      const horizontal = a.side % 2 === 0;
      const boxes: { lo: number; hi: number; text: string }[] = [];
      a._splits.forEach((v, i) => {
        const label = a._values![i];
        if (label === null || label === undefined || label === '') return;
        const lines = String(label).split('\n');
        const at = u.valToPos(v, a.scale);
        const half = horizontal ? Math.max(...lines.map((l) => ctx.measureText(l).width)) / 2 : (a.font[2] * a.lineGap * lines.length) / 2;
        boxes.push({ lo: at - half, hi: at + half, text: lines.join(' ') });
      });
      boxes.sort((x, y) => x.lo - y.lo);
      for (let i = 1; i < boxes.length; i++) {
        if (boxes[i]!.lo < boxes[i - 1]!.hi) out.push(`${id} axis ${k}: "${boxes[i - 1]!.text}" overlaps "${boxes[i]!.text}" (${(boxes[i - 1]!.hi - boxes[i]!.lo).toFixed(1)}px)`);
      }
    });
  }
  return out;
}

/** The text of each element matching `selector`, with whether it is cut off (content wider than its box). */
export function textsOf(selector: string): { text: string; cut: boolean }[] {
  return [...document.querySelectorAll(selector)].map((el) => ({ text: (el.textContent ?? '').trim(), cut: el.scrollWidth > el.clientWidth + 1 }));
}

/** Elements matching `selector` whose boxes overlap a sibling's (same parent, both matching). */
export function overlappingBoxes(selector: string): string[] {
  const out: string[] = [];
  const byParent = new Map<El | null, El[]>();
  for (const el of document.querySelectorAll(selector)) byParent.set(el.parentElement, [...(byParent.get(el.parentElement) ?? []), el]);
  for (const els of byParent.values()) {
    const boxes = els.map((el) => ({ r: el.getBoundingClientRect(), text: (el.textContent ?? '').trim() }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push(`"${boxes[i]!.text}" overlaps "${boxes[j]!.text}"`);
      }
    }
  }
  return out;
}
