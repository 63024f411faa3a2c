#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx kiosk` works from a fresh clone without a build.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
