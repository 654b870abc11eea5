/**
 * Runs TypeScript in plain node: `node -r ./bench/support/register-ts.js bench/index.ts`.
 *
 * Each required .ts file is compiled on load with tsc's transpileModule (no type check). Not tsx
 * or another esbuild-based runner: they do not emit the decorator metadata
 * (emitDecoratorMetadata) that Nest's dependency injection needs, and the benchmarks start the
 * real Nest applications.
 */
'use strict';
const fs = require('fs');
const ts = require('typescript');

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (m, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions: COMPILER_OPTIONS });
  m._compile(out.outputText, filename);
};
