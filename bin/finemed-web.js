#!/usr/bin/env node
// The studio's web server (started by `finemed serve`): Next behind a front that knows each connection's address.
import { compiledEntry } from "./compiled.js";

const { main } = await import(await compiledEntry("web-front"));
await main();
