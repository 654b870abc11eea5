import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { isNaclBinary, NACL_ENTRY_SYMBOL } from './nacl-binary';
import { buildGo, goBinary } from '../../test/support/go-build';
import { projectRoot } from '../../src/platform/paths';

const execFile$ = promisify(execFile);

// No NaCl toolchain exists here, so no spec in this file builds or runs a NaCl program. The
// fixtures are real linux/amd64 Go binaries (edited or not) and synthetic ELF files made below.

/**
 * A minimal little-endian ELF file with, when given, a .symtab whose names are `symbols` and a
 * .gopclntab holding `pclntab`, plus the .shstrtab naming them.
 */
function syntheticElf(elfClass: 32 | 64, parts: { symbols?: string[]; pclntab?: Buffer }): Buffer {
  const is64 = elfClass === 64;
  const ehsize = is64 ? 64 : 52;
  const shentsize = is64 ? 64 : 40;
  const symentsize = is64 ? 24 : 16;
  const shnames = ['', '.shstrtab'];
  const sections: Array<{ name: string; type: number; data: Buffer; link: number }> = [
    { name: '', type: 0, data: Buffer.alloc(0), link: 0 },
    { name: '.shstrtab', type: 3, data: Buffer.alloc(0), link: 0 }, // filled in below
  ];
  if (parts.symbols) {
    const strtab = Buffer.from(`\0${parts.symbols.join('\0')}\0`);
    const symtab = Buffer.alloc(symentsize * (parts.symbols.length + 1));
    let name = 1;
    parts.symbols.forEach((sym, i) => {
      symtab.writeUInt32LE(name, symentsize * (i + 1)); // st_name
      name += sym.length + 1;
    });
    sections.push({ name: '.symtab', type: 2, data: symtab, link: sections.length + 1 });
    sections.push({ name: '.strtab', type: 3, data: strtab, link: 0 });
  }
  if (parts.pclntab) sections.push({ name: '.gopclntab', type: 1, data: parts.pclntab, link: 0 });
  for (const sec of sections.slice(2)) shnames.push(sec.name);
  const shstrtab = Buffer.from(`${shnames.join('\0')}\0`);
  sections[1].data = shstrtab;
  const nameOffsets = sections.map((sec) => (sec.name === '' ? 0 : shstrtab.indexOf(`\0${sec.name}\0`) + 1));
  const offsets: number[] = [];
  let at = ehsize;
  for (const sec of sections) {
    offsets.push(at);
    at += sec.data.length;
  }
  const shoff = at;
  const eh = Buffer.alloc(ehsize);
  eh.writeUInt32BE(0x7f454c46, 0);
  eh[4] = is64 ? 2 : 1;
  eh[5] = 1; // little-endian
  eh[6] = 1; // EV_CURRENT
  eh.writeUInt16LE(2, 16); // ET_EXEC
  eh.writeUInt16LE(62, 18); // EM_X86_64
  eh.writeUInt32LE(1, 20);
  if (is64) {
    eh.writeBigUInt64LE(BigInt(shoff), 0x28);
    eh.writeUInt16LE(ehsize, 0x34);
    eh.writeUInt16LE(shentsize, 0x3a);
    eh.writeUInt16LE(sections.length, 0x3c);
    eh.writeUInt16LE(1, 0x3e);
  } else {
    eh.writeUInt32LE(shoff, 0x20);
    eh.writeUInt16LE(ehsize, 0x28);
    eh.writeUInt16LE(shentsize, 0x2e);
    eh.writeUInt16LE(sections.length, 0x30);
    eh.writeUInt16LE(1, 0x32);
  }
  const sh = Buffer.alloc(shentsize * sections.length);
  sections.forEach((sec, i) => {
    const h = i * shentsize;
    sh.writeUInt32LE(nameOffsets[i], h);
    sh.writeUInt32LE(sec.type, h + 4);
    if (is64) {
      sh.writeBigUInt64LE(BigInt(offsets[i]), h + 24);
      sh.writeBigUInt64LE(BigInt(sec.data.length), h + 32);
      sh.writeUInt32LE(sec.link, h + 40);
    } else {
      sh.writeUInt32LE(offsets[i], h + 16);
      sh.writeUInt32LE(sec.data.length, h + 20);
      sh.writeUInt32LE(sec.link, h + 24);
    }
  });
  return Buffer.concat([eh, ...sections.map((sec) => sec.data), sh]);
}

/** Where a real ELF64 binary's section `name` lies, read independently of the code under test; null when absent. */
function sectionOf(b: Buffer, name: string): { off: number; size: number } | null {
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const shstrndx = b.readUInt16LE(0x3e);
  const field = (i: number, at: number, wide: boolean) => (wide ? Number(b.readBigUInt64LE(shoff + i * shentsize + at)) : b.readUInt32LE(shoff + i * shentsize + at));
  const namesOff = field(shstrndx, 24, true);
  for (let i = 0; i < shnum; i++) {
    const nameAt = namesOff + field(i, 0, false);
    if (b.toString('latin1', nameAt, b.indexOf(0, nameAt)) === name) return { off: field(i, 24, true), size: field(i, 32, true) };
  }
  return null;
}

/**
 * A copy of a real Go binary in which one NUL-delimited name in `section`, at least as long as
 * the NaCl entry symbol, is overwritten with it (and a NUL): the file's layout stays a real Go
 * linker's; only one name now reads `_rt0_amd64p32_nacl`.
 */
function withEntrySymbolName(real: Buffer, section: '.strtab' | '.gopclntab'): Buffer {
  const b = Buffer.from(real);
  const sec = sectionOf(b, section);
  if (!sec) throw new Error(`no ${section} in the binary`);
  const nameLike = /^[A-Za-z0-9_.\/()*\[\]-]+$/;
  let at = b.indexOf(0, sec.off) + 1;
  while (at > 0 && at < sec.off + sec.size) {
    const end = b.indexOf(0, at);
    const name = b.toString('latin1', at, end);
    if (name.length >= NACL_ENTRY_SYMBOL.length && nameLike.test(name) && name.includes('.')) {
      b.write(`${NACL_ENTRY_SYMBOL}\0`, at, 'latin1');
      return b;
    }
    at = end + 1;
  }
  throw new Error(`no name in ${section} long enough to overwrite`);
}

/** Builds like the service does today (`-trimpath -ldflags=-s -w`): no ELF symbol table. */
async function buildStripped(source: string): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nacl-binary-spec-'));
  try {
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module play\n');
    fs.writeFileSync(path.join(dir, 'prog.go'), source);
    const env = { ...process.env, GOOS: 'linux', GOARCH: 'amd64', CGO_ENABLED: '0', GOCACHE: path.join(projectRoot(), 'var', 'gocache'), GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    await execFile$(goBinary(), ['build', '-o', 'a.out', '-trimpath', '-ldflags=-s -w', '.'], { cwd: dir, env, timeout: 120_000 });
    return fs.readFileSync(path.join(dir, 'a.out'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// A linux/amd64 program whose binary holds the entry symbol's text twice without having that
// symbol: as a string constant, and inside the longer function name main._rt0_amd64p32_nacl.
const TRICKY = `package main

import "fmt"

//go:noinline
func _rt0_amd64p32_nacl() string { return "_rt0_amd64p32_nacl" }

func main() { fmt.Println(_rt0_amd64p32_nacl()) }
`;

describe('isNaclBinary', () => {
  let linux: Buffer;
  let stripped: Buffer;

  beforeAll(async () => {
    [linux, stripped] = await Promise.all([buildGo(TRICKY), buildStripped(TRICKY)]);
  }, 240_000);

  it('recognises a synthetic ELF64 whose symbol table names the NaCl entry point', () => {
    expect(isNaclBinary(syntheticElf(64, { symbols: ['go.buildid', NACL_ENTRY_SYMBOL, 'runtime.main'] }))).toBe(true);
    expect(isNaclBinary(syntheticElf(64, { symbols: [NACL_ENTRY_SYMBOL] }))).toBe(true); // first entry: right after the leading NUL
  });

  it('recognises a synthetic stripped ELF64 whose .gopclntab names the entry point as a whole function name', () => {
    const name = Buffer.from(`${NACL_ENTRY_SYMBOL}\0`);
    // Go >= 1.16 keeps names NUL-separated; Go <= 1.13 writes each name after its function's record.
    expect(isNaclBinary(syntheticElf(64, { pclntab: Buffer.concat([Buffer.from('\0runtime.main\0'), name]) }))).toBe(true);
    expect(isNaclBinary(syntheticElf(64, { pclntab: Buffer.concat([Buffer.from([0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]), name, Buffer.from([0])]) }))).toBe(true);
    expect(isNaclBinary(syntheticElf(64, { pclntab: Buffer.concat([Buffer.from('\0main.'), name]) }))).toBe(false);
    expect(isNaclBinary(syntheticElf(64, { pclntab: Buffer.from(`\0${NACL_ENTRY_SYMBOL}.func1\0`) }))).toBe(false);
    expect(isNaclBinary(syntheticElf(64, { pclntab: Buffer.from(`\0${NACL_ENTRY_SYMBOL}`) }))).toBe(false); // not terminated
  });

  it('reads ELF32 files too', () => {
    expect(isNaclBinary(syntheticElf(32, { symbols: ['a', NACL_ENTRY_SYMBOL] }))).toBe(true);
    expect(isNaclBinary(syntheticElf(32, { pclntab: Buffer.from(`\0${NACL_ENTRY_SYMBOL}\0`) }))).toBe(true);
    expect(isNaclBinary(syntheticElf(32, { symbols: ['a', 'b'], pclntab: Buffer.from('\0main.main\0') }))).toBe(false);
  });

  it('recognises a real linux/amd64 Go binary once its symbol table carries the entry symbol name', () => {
    expect(isNaclBinary(linux)).toBe(false);
    expect(isNaclBinary(withEntrySymbolName(linux, '.strtab'))).toBe(true);
  });

  it('recognises a real stripped linux/amd64 Go binary once its pc-line table carries the entry symbol name', () => {
    expect(sectionOf(stripped, '.symtab')).toBeNull(); // -ldflags=-s: no symbol table to look in
    expect(isNaclBinary(stripped)).toBe(false);
    expect(isNaclBinary(withEntrySymbolName(stripped, '.gopclntab'))).toBe(true);
  });

  it('does not take a linux/amd64 program for NaCl because its string constants or longer names contain the text', () => {
    for (const b of [linux, stripped]) {
      expect(b.includes(NACL_ENTRY_SYMBOL)).toBe(true); // the text is in there (what a plain byte search would find)
      expect(isNaclBinary(b)).toBe(false);
    }
    expect(isNaclBinary(syntheticElf(64, { symbols: [`main.${NACL_ENTRY_SYMBOL}`, `${NACL_ENTRY_SYMBOL}x`] }))).toBe(false);
  });

  it('does not take a linux/amd64 binary with the name appended after its end for NaCl', () => {
    for (const b of [linux, stripped]) expect(isNaclBinary(Buffer.concat([b, Buffer.from(`\0${NACL_ENTRY_SYMBOL}\0`)]))).toBe(false);
  });

  it('refuses what is not an ELF file, and malformed section tables, without throwing', () => {
    expect(isNaclBinary(Buffer.from(`#!/bin/sh\n# ${NACL_ENTRY_SYMBOL}\n`))).toBe(false);
    expect(isNaclBinary(Buffer.alloc(0))).toBe(false);
    const good = syntheticElf(64, { symbols: [NACL_ENTRY_SYMBOL] });
    expect(isNaclBinary(good)).toBe(true);
    const pastEnd = Buffer.from(good);
    pastEnd.writeBigUInt64LE(BigInt(good.length), 0x28); // section headers beyond the file
    expect(isNaclBinary(pastEnd)).toBe(false);
    const badLink = Buffer.from(good);
    const symtabHeader = Number(good.readBigUInt64LE(0x28)) + 2 * 64;
    expect(badLink.readUInt32LE(symtabHeader + 4)).toBe(2); // it is the .symtab header
    badLink.writeUInt32LE(99, symtabHeader + 40); // linked to a string table that does not exist
    expect(isNaclBinary(badLink)).toBe(false);
    const hugeSection = Buffer.from(good);
    hugeSection.writeBigUInt64LE(1n << 40n, Number(good.readBigUInt64LE(0x28)) + 3 * 64 + 32); // .strtab larger than the file
    expect(isNaclBinary(hugeSection)).toBe(false);
    expect(isNaclBinary(good.subarray(0, 40))).toBe(false);
  });
});
