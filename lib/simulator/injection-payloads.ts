import { combineHash } from "./determinism";
import type { SimStep } from "./step-detection";

// Hostile strings a model may echo from its input or emit on its own. With `injectPayloads` the
// simulator plants them in its outputs, so a real run carries them into every page that shows model
// text; the UI must show them as text and never run them. Every script payload sets window.__pwned,
// which the browser test checks.

export const SCRIPT_PAYLOADS: readonly string[] = [
  "<script>window.__pwned=1</script>",
  '<img src=x onerror="window.__pwned=1">',
  "[click for details](javascript:window.__pwned=1)",
  "![figure](javascript:window.__pwned=1)",
  '<svg onload="window.__pwned=1"><circle r="5"/></svg>',
  '"><script>window.__pwned=1</script>',
  "'><img src=x onerror=window.__pwned=1>",
  '<a href="javascript:window.__pwned=1">open</a>',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
  '<details open ontoggle="window.__pwned=1">x</details>',
  "[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)",
];

export const TEXT_PAYLOADS: readonly string[] = [
  "&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp;amp; &#60;b&#62;bold?&#60;/b&#62; &#x3C;i&#x3E;",
  // C0 and C1 controls (no NUL, which PostgreSQL text cannot hold), an ANSI escape, a bell.
  "ctrl:\u0001\u0002\u0007\u0008\u000b\u000c\u001b[31mred\u001b[0m\u007f\u0080\u0085\u009b\u009f:end",
  // Right-to-left override: the text after it reads backwards on screen.
  "report\u202Efdp.exe\u202C done",
  // One very long word with no break opportunity.
  `Pneumonoultramicroscopicsilicovolcanoconiosis${"x".repeat(2_000)}`,
  // Quotes and backslashes that break naive JSON or attribute building.
  '"}],"injected":true,"x":["\\"\\\\\'`${{7*7}}',
  "{{text}} {{question}} %s %n ${process.env}",
];

export const INJECTION_PAYLOADS: readonly string[] = [...SCRIPT_PAYLOADS, ...TEXT_PAYLOADS];

function payload(hash: number, salt: number): string {
  return INJECTION_PAYLOADS[combineHash(hash, salt) % INJECTION_PAYLOADS.length]!;
}

function injectIntoJson(content: string, keys: readonly string[], hash: number): string {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(content.replace(/^```json\n|\n```$/g, "")) as Record<string, unknown>;
  } catch {
    return content;
  }
  keys.forEach((key, index) => {
    if (typeof parsed[key] === "string") parsed[key] = `${parsed[key]} ${payload(hash, index + 1)}`;
  });
  return JSON.stringify(parsed, null, 2);
}

/**
 * The answer with payloads planted where the pipeline keeps free text (instructions, answers, the
 * Thought and Summarization), chosen by `hash` so a run is reproducible. Scores and department answers
 * stay parseable: a payload there would only turn the output into a failure, which garbage covers.
 */
export function injectPayloads(step: SimStep, content: string, hash: number): string {
  switch (step) {
    case "instruction-generation":
      return injectIntoJson(content, ["question1", "question2"], hash);
    case "response-pair":
      return injectIntoJson(content, ["answer1", "answer2"], hash);
    case "long-form-reasoning":
      return content
        .replace("**Thought**\n\n", `**Thought**\n\n${payload(hash, 3)}\n\n`)
        .replace("**Summarization**\n\n", `**Summarization**\n\n${payload(hash, 4)} `);
    default:
      return content;
  }
}

/** An invalid output carrying a payload, so failure pages show hostile raw text too. */
export function injectIntoGarbage(content: string, hash: number): string {
  return `${payload(hash, 5)}\n${content}`;
}
