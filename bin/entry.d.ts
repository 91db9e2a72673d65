export declare const BUILT_MARKER: string;
export declare function chooseEntry(
  root: string,
  options?: { fromSource?: boolean },
): { kind: 'dist' | 'source'; reason: string };
