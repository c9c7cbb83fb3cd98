// Why the scatter may not draw, and what the curator can do about it. regl (inside regl-scatterplot)
// compiles its draw commands with Function(), which a Content-Security-Policy without 'unsafe-eval'
// blocks; only a document loaded at /map gets that policy (next.config.ts), and a client-side
// navigation keeps the policy of the document it started in. So the page probes first and, when eval
// is blocked, loads itself again as a document of its own (once: a second block is reported).

export type ScatterFailure = "evalBlocked" | "webglMissing" | "contextLost" | "crashed";

export const SCATTER_FAILURE_TEXT: Record<ScatterFailure, { title: string; advice: string }> = {
  evalBlocked: {
    title: "The browser's security policy blocked the map's drawing library.",
    advice:
      "The WebGL scatter compiles its shaders' glue at run time, which only a page loaded directly at /map allows. " +
      "Reload this page to draw the map; if it stays blank, a browser extension or proxy is changing the page's security policy.",
  },
  webglMissing: {
    title: "This browser cannot draw the map: WebGL is off or missing the features the scatter needs.",
    advice:
      "Turn on hardware acceleration in the browser's settings (or try another browser), then reload. " +
      "The samples table shows the same samples.",
  },
  contextLost: {
    title: "The browser took the map's graphics context away (a GPU reset, or too many WebGL pages open).",
    advice: "Close other map or WebGL tabs and reload this page to draw the map again.",
  },
  crashed: {
    title: "The map's drawing library failed.",
    advice: "Reload the page. If it fails again, the message below says where, and the samples table shows the same samples.",
  },
};

/** True when this document's policy lets code be compiled at run time (what regl needs). */
export function runtimeCompileAllowed(): boolean {
  try {
    // The probe is the very thing the policy forbids; it compiles nothing that runs.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- the probe of the policy itself
    return new Function("return true")() === true;
  } catch {
    return false;
  }
}

const RELOAD_KEY = "finemed.map.policyReload";
const RELOAD_WINDOW_MS = 30_000;

/**
 * Whether this tab may load the current /map URL again as a full document, to get the map's own policy:
 * not when it already did so within the last seconds (then the block is not the client-side
 * navigation's, and a loop of reloads would help no one).
 */
export function mayReloadForMapPolicy(): boolean {
  try {
    return Date.now() - Number(window.sessionStorage.getItem(RELOAD_KEY) ?? "0") >= RELOAD_WINDOW_MS;
  } catch {
    // Storage refused (private mode, policy): reload anyway, at worst the second block is reported.
    return true;
  }
}

/** Loads the current /map URL again as a full document, noting when, so mayReloadForMapPolicy stops a loop. */
export function reloadForMapPolicy(): void {
  try {
    window.sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
  } catch {
    // See mayReloadForMapPolicy.
  }
  window.location.replace(window.location.href);
}

/** Forgets an earlier policy reload once the map has drawn, so a later block may reload again. */
export function mapPolicyReloadSucceeded(): void {
  try {
    window.sessionStorage.removeItem(RELOAD_KEY);
  } catch {
    // Nothing to forget.
  }
}

/** Classifies an error thrown by the scatter (or reported to window while it draws). */
export function classifyScatterError(error: unknown): ScatterFailure {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (/EvalError|unsafe-eval|Content Security Policy/i.test(text)) return "evalBlocked";
  if (/webgl|context/i.test(text)) return "webglMissing";
  return "crashed";
}
