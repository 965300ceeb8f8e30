/** Written by scripts/build.js after a complete build: the build's start time (epoch ms). */
export declare const STAMP: string;
/** The newest modification time among the sources dist/ is built from. */
export declare function newestSourceMtime(root: string): number;
/** The compiled entry point when dist/ is complete and newer than every source; null otherwise. */
export declare function freshDistEntry(root: string): string | null;
