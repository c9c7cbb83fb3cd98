#!/usr/bin/env node
// The npm registry reachable from these machines serves only Linux builds of Next's compiler, so
// `npm install` leaves the macOS and Windows ones out of package-lock.json and `npm ci` then refuses
// the lock. This adds them back as optional, platform-bound entries, which npm ci skips on Linux.
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const next = lock.packages["node_modules/next"];
const platforms = {
  "@next/swc-darwin-arm64": { cpu: ["arm64"], os: ["darwin"] },
  "@next/swc-darwin-x64": { cpu: ["x64"], os: ["darwin"] },
  "@next/swc-win32-arm64-msvc": { cpu: ["arm64"], os: ["win32"] },
  "@next/swc-win32-x64-msvc": { cpu: ["x64"], os: ["win32"] },
};
let added = 0;
for (const [name, platform] of Object.entries(platforms)) {
  const version = next.optionalDependencies?.[name];
  const key = `node_modules/${name}`;
  if (!version || lock.packages[key]) continue;
  lock.packages[key] = { version, ...platform, license: "MIT", optional: true, engines: { node: ">= 10" } };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} foreign-platform entries`);
