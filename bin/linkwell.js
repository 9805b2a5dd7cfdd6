#!/usr/bin/env node
// The `linkwell` command. Node 24 runs the TypeScript sources directly (type stripping).
const { run } = await import('../src/cli.ts');
run();
