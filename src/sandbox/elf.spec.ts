import { elfSections, EM_386, EM_X86_64, readElfIdent, sectionContents, sectionName, SHT_SYMTAB } from './elf';
import { buildGo } from '../../test/support/go-build';

const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n';

describe('readElfIdent', () => {
  let amd64: Buffer;
  let i386: Buffer;

  beforeAll(async () => {
    [amd64, i386] = await Promise.all([buildGo(HELLO), buildGo(HELLO, { goarch: '386' })]);
  }, 240_000);

  it('reads a real linux/amd64 Go binary as 64-bit x86-64', () => {
    expect(readElfIdent(amd64)).toEqual({ class: 64, machine: EM_X86_64 });
  });

  it('reads a real linux/386 Go binary as 32-bit i386', () => {
    expect(readElfIdent(i386)).toEqual({ class: 32, machine: EM_386 });
  });

  it('needs only the first 20 bytes', () => {
    expect(readElfIdent(amd64.subarray(0, 20))).toEqual({ class: 64, machine: EM_X86_64 });
    expect(readElfIdent(amd64.subarray(0, 19))).toBeNull();
  });

  it('refuses what is not ELF', () => {
    expect(readElfIdent(Buffer.alloc(0))).toBeNull();
    expect(readElfIdent(Buffer.from('#!/bin/sh\necho hello from a script\n'))).toBeNull();
    expect(readElfIdent(Buffer.from('package main\n\nfunc main() {}\n'))).toBeNull();
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    expect(readElfIdent(garbage)).toBeNull();
    // A Mach-O or PE header is not ELF either.
    expect(readElfIdent(Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), amd64.subarray(4, 64)]))).toBeNull();
    expect(readElfIdent(Buffer.concat([Buffer.from('MZ'), amd64.subarray(2, 64)]))).toBeNull();
  });

  it('refuses ELF headers with a bad class or byte order', () => {
    const badClass = Buffer.from(amd64.subarray(0, 64));
    badClass[4] = 3;
    expect(readElfIdent(badClass)).toBeNull();
    const bigEndian = Buffer.from(amd64.subarray(0, 64));
    bigEndian[5] = 2;
    expect(readElfIdent(bigEndian)).toBeNull();
  });

  it('reports other machines as they are, so that routing can refuse them', () => {
    const arm64 = Buffer.from(amd64.subarray(0, 64));
    arm64.writeUInt16LE(183, 18); // EM_AARCH64
    expect(readElfIdent(arm64)).toEqual({ class: 64, machine: 183 });
  });
});

describe('elfSections', () => {
  let amd64: Buffer;
  let i386: Buffer;

  beforeAll(async () => {
    // Not stripped (no -ldflags=-s): the symbol table is there too.
    [amd64, i386] = await Promise.all([buildGo(HELLO), buildGo(HELLO, { goarch: '386' })]);
  }, 240_000);

  it('finds the sections of real 64- and 32-bit Go binaries by name, with their contents', () => {
    for (const binary of [amd64, i386]) {
      const sections = elfSections(binary);
      const names = sections.map((s) => sectionName(binary, sections, s));
      expect(names).toEqual(expect.arrayContaining(['.text', '.gopclntab', '.symtab']));
      const symtab = sections.find((s) => s.type === SHT_SYMTAB)!;
      expect(sectionContents(binary, sections[symtab.link])?.includes(Buffer.from('\0main.main\0'))).toBe(true);
    }
  });

  it('gives nothing for a header that is not ELF, cut short, or points past the end', () => {
    expect(elfSections(Buffer.from('not an ELF file at all, but long enough to hold a header of sixty-four bytes'))).toEqual([]);
    expect(elfSections(amd64.subarray(0, 63))).toEqual([]);
    const pastTheEnd = Buffer.from(amd64.subarray(0, 4096));
    pastTheEnd.writeBigUInt64LE(1n << 20n, 0x28); // e_shoff
    expect(elfSections(pastTheEnd)).toEqual([]);
    const sections = elfSections(amd64);
    expect(sectionContents(amd64, { ...sections[1], offset: amd64.length - 1 })).toBeNull();
  });
});
