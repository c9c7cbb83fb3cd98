#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so the CLI, workers and the web server share lib/ as written.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
