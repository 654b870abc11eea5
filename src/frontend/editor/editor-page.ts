import { Injectable } from '@nestjs/common';
import { ToolchainChoice } from '../toolchains/toolchain-choice';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../../platform/paths';
import { EXAMPLES } from './examples';

// Static assets stay in src/ (nest build does not copy them), so both ts-jest and the
// compiled dist/ find them from the project root.
function staticDir(): string {
  return path.join(projectRoot(), 'src', 'frontend', 'editor', 'static');
}

function examplesDir(): string {
  return path.join(projectRoot(), 'src', 'frontend', 'editor', 'examples');
}

let codemirrorRoot: string | undefined;

/** Where the codemirror package is installed, wherever npm hoisted it. */
function codemirrorDir(): string {
  if (!codemirrorRoot) {
    try {
      codemirrorRoot = path.dirname(require.resolve('codemirror/package.json'));
    } catch {
      codemirrorRoot = path.join(projectRoot(), 'node_modules', 'codemirror');
    }
  }
  return codemirrorRoot;
}

// No .html: index.html is a template that only EditorPage renders.
const OWN_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// Only the editor's code and styles are needed from the package; its demos, tests and
// build files have no business being served.
const CODEMIRROR_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface StaticAsset {
  file: string;
  contentType: string;
}

/**
 * Maps the part of a URL after /static/ to a file, or null when it is not something we
 * serve. Every segment is checked after URL decoding, so encoded `..`, backslashes and
 * empty segments are refused before any file system call, and the resolved path must still
 * lie under its root.
 */
export function resolveStaticAsset(relative: string): StaticAsset | null {
  if (relative.includes('\\') || relative.includes('\0')) return null;
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) return null;

  let root: string;
  let types: Record<string, string>;
  let rest: string[];
  if (segments[0] === 'codemirror') {
    root = codemirrorDir();
    types = CODEMIRROR_TYPES;
    rest = segments.slice(1);
  } else {
    root = staticDir();
    types = OWN_TYPES;
    rest = segments;
  }
  if (rest.length === 0) return null;
  const contentType = types[path.extname(rest[rest.length - 1]).toLowerCase()];
  if (!contentType) return null;

  const file = path.resolve(root, ...rest);
  if (!file.startsWith(root + path.sep)) return null;
  return { file, contentType };
}

const EXAMPLE_NAMES = new Set(EXAMPLES.map((e) => e.name));

/** The path of an example's source for a `<name>.txt` request, or null for anything else. */
export function resolveExample(fileName: string): string | null {
  const m = /^([a-z0-9-]+)\.txt$/.exec(fileName);
  if (!m || !EXAMPLE_NAMES.has(m[1])) return null;
  return path.join(examplesDir(), `${m[1]}.txt`);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function contentVersion(file: string): string | null {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 12);
  } catch {
    return null;
  }
}

/** Escapes text for a textarea's content: the parser only looks for `&` and `</textarea`. */
function escapeTextarea(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** "go1.25.14" → "Go 1.25.14", as go.dev/play's menu says it. */
function releaseTitle(version: string): string {
  return version.startsWith('go') ? `Go ${version.slice(2)}` : version;
}

const SOURCE_PLACEHOLDER = '<!-- SOURCE -->';

/**
 * The editor page's HTML with a program in it: the hello example at /, the snippet at
 * /p/{id} (served by the share controller), as play.golang.org's page carries it, so that it
 * shows before the script has run, or without scripts at all. The program is only ever text in
 * a textarea, escaped.
 */
@Injectable()
export class EditorPage {
  private template: string | undefined;
  private hello: string | undefined;

  constructor(private readonly toolchains: ToolchainChoice) {}

  html(source?: string): string {
    if (this.template === undefined) this.template = this.render();
    if (source === undefined) {
      this.hello ??= fs.readFileSync(resolveExample('hello.txt')!, 'utf8');
      source = this.hello;
    }
    // The newline after the tag is the one the HTML parser drops, so a program that starts
    // with a blank line keeps it.
    const text = `\n${escapeTextarea(source)}`;
    return this.template.replace(SOURCE_PLACEHOLDER, () => text);
  }

  private render(): string {
    const raw = fs.readFileSync(path.join(staticDir(), 'index.html'), 'utf8');
    const options = EXAMPLES.map(
      (e) => `<option value="${escapeHtml(e.name)}">${escapeHtml(e.title)}</option>`,
    ).join('\n      ');
    const versions = this.toolchains.choices().map(
      (c) => `<option value="${escapeHtml(c.name)}">${escapeHtml(releaseTitle(c.version))}${c.name ? ` (${escapeHtml(c.name)})` : ''}</option>`,
    ).join('\n      ');
    // A content hash in each asset URL lets browsers cache assets for good while a
    // deployment that changes a file is picked up on the next page load.
    return raw
      .replace('<!-- EXAMPLES -->', options)
      .replace('<!-- VERSIONS -->', versions)
      .replace(/(src|href)="\/static\/([^"?#]+)"/g, (whole, attr: string, rel: string) => {
        const asset = resolveStaticAsset(rel);
        const version = asset && contentVersion(asset.file);
        return version ? `${attr}="/static/${rel}?v=${version}"` : whole;
      });
  }
}
