import type { NextConfig } from "next";

const config: NextConfig = {
  // PGlite ships WebAssembly and pg has optional native bindings: load them from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "@prisma/adapter-pg"],
  // A build folder of its own per checkout task (FINEMED_NEXT_DIR), so parallel e2e runs do not overwrite each other.
  distDir: process.env.FINEMED_NEXT_DIR ?? ".next",
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
