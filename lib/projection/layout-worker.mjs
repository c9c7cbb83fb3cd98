// Worker-thread entry: the studio runs TypeScript through tsx, so the thread registers it before
// loading the layout code (a plain .mjs because nothing can load .ts until then).
import { register } from "tsx/esm/api";

register();
await import("./layout-worker-main.ts");
