#!/usr/bin/env node
// Lists what the sandbox service needs to run, relative to the project root, one path a line:
// the compiled files its entry point reaches (following relative requires) and the installed
// packages they need, with their own dependencies as package-lock.json records them. The
// sandbox service image (scripts/sandbox-service-image.sh) holds exactly these, so nothing of
// the frontend (database drivers, the build sandbox, the editor) ships to a sandbox host.
'use strict';
const fs = require('fs');
const path = require('path');
const { builtinModules } = require('module');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'src', 'sandbox', 'main.js');
const builtins = new Set(builtinModules);
const REQUIRE = /\brequire\(\s*["']([^"']+)["']\s*\)/g;

function resolveLocal(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(root, from)} requires ${spec}, which is not built`);
}

const files = new Set();
const roots = new Set();
const todo = [entry];
while (todo.length) {
  const file = todo.pop();
  if (files.has(file)) continue;
  files.add(file);
  if (!file.endsWith('.js')) continue;
  for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(REQUIRE)) {
    if (spec.startsWith('.')) todo.push(resolveLocal(file, spec));
    else if (!builtins.has(spec) && !spec.startsWith('node:')) {
      const parts = spec.split('/');
      roots.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
}

// Node's lookup: node_modules beside the requiring package, then each parent's.
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages;
function locate(fromDir, name) {
  for (let dir = fromDir; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (!dir) return null;
  }
}

const packages = new Set();
const pending = [...roots].map((name) => {
  const found = locate('', name);
  if (!found) throw new Error(`the sandbox service requires ${name}, which package-lock.json does not install`);
  return found;
});
while (pending.length) {
  const dir = pending.pop();
  if (packages.has(dir)) continue;
  packages.add(dir);
  const p = lock[dir];
  const deps = { ...p.dependencies, ...p.optionalDependencies, ...p.peerDependencies };
  for (const name of Object.keys(deps)) {
    const found = locate(dir, name);
    if (found) pending.push(found); // an optional or peer dependency that is not installed is not needed
  }
}

// The sandbox service is its own deployable: reaching a frontend file means an import crossed
// the line (test/process-boundaries.spec.ts checks the sources; this checks what ships).
const frontend = [...files].map((f) => path.relative(root, f)).filter((f) => /^dist\/(.+\/)?frontend\//.test(f)); // src/frontend/, a plugin's frontend half
if (frontend.length) throw new Error(`the sandbox service reaches frontend code: ${frontend.join(', ')}`);

// A package nested inside another is copied with it.
const kept = [...packages].filter((d) => ![...packages].some((o) => o !== d && d.startsWith(`${o}/`)));
for (const f of [...files].map((f) => path.relative(root, f)).sort()) console.log(f);
for (const d of kept.sort()) console.log(d);
