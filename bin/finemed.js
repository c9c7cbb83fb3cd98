#!/usr/bin/env node
// The CLI runs compiled JavaScript (bin/compiled.js builds it from cli/, lib/ and workers/ when they change).
import { compiledEntry } from "./compiled.js";

const { main } = await import(await compiledEntry("main"));
process.exitCode = await main(process.argv.slice(2));
