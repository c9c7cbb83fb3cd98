#!/usr/bin/env node
// The studio's web server (started by `finemed serve`): Next behind a front that knows each connection's address.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../cli/web-front.ts");
await main();
