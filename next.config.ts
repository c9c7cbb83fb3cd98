import type { NextConfig } from "next";

// Defence in depth behind React's escaping and sanitized markdown: no script, frame or plugin from
// another origin, no request to one (connect-src, img-src: nothing can be sent out), no <base> or form
// hijack, no framing of the studio. Next's App Router streams its data in inline <script> tags, so
// script-src needs 'unsafe-inline' without a per-request nonce.
// The map needs 'unsafe-eval' (regl, inside regl-scatterplot, compiles its draw commands with Function()),
// so only documents loaded at /map allow it: every link to /map is a full load (components/map/map-link.tsx)
// and the page reloads itself once if a client-side navigation brought it into a stricter document.
function contentSecurityPolicy(scriptExtra: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${scriptExtra}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const development = process.env.NODE_ENV !== "production";
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];

const config: NextConfig = {
  // PGlite ships WebAssembly and pg has optional native bindings: load them from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "@prisma/adapter-pg"],
  // A build folder of its own per checkout task (FINEMED_NEXT_DIR), so parallel e2e runs do not overwrite each other.
  distDir: process.env.FINEMED_NEXT_DIR ?? ".next",
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    // `next dev` needs eval for fast refresh; the last matching entry wins, so /map overrides the default.
    const evalAllowed = " 'unsafe-eval'";
    return [
      {
        source: "/:path*",
        headers: [...securityHeaders, { key: "Content-Security-Policy", value: contentSecurityPolicy(development ? evalAllowed : "") }],
      },
      { source: "/map", headers: [{ key: "Content-Security-Policy", value: contentSecurityPolicy(evalAllowed) }] },
      { source: "/map/:path*", headers: [{ key: "Content-Security-Policy", value: contentSecurityPolicy(evalAllowed) }] },
    ];
  },
};

export default config;
