import { modulePolicyErrors } from './module-policy';

const files = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));

describe('module policy', () => {
  it('lets replacements inside the program and module replacements through', () => {
    expect(modulePolicyErrors(files({
      'go.mod': 'module play\n\nrequire example.com/x v0.0.0\n\nreplace example.com/x => ./x\nreplace example.com/y v1.0.0 => example.com/z v1.2.0\n',
      'x/go.mod': 'module example.com/x\n\nreplace example.com/w => ../w // sibling, still inside\n',
    }))).toBeNull();
  });

  it.each([
    ['replace example.com/x => /etc', 'go.mod:3'],
    ['replace example.com/x => ../outside', 'go.mod:3'],
    ['replace (\n\texample.com/a => ./a\n\texample.com/x v1.0.0 => "/usr/local/go/src"\n)', 'go.mod:5'],
    ['replace example.com/x => ./../../..', 'go.mod:3'],
  ])('refuses %j', (directive, where) => {
    const err = modulePolicyErrors(files({ 'go.mod': `module play\n\n${directive}\n` }));
    expect(err).toContain(where);
    expect(err).toMatch(/must stay inside the program/);
  });

  it('resolves a nested go.mod against its own directory', () => {
    expect(modulePolicyErrors(files({ 'sub/go.mod': 'module m\nreplace x => ../..\n' }))).toContain('sub/go.mod:2');
  });

  it('refuses go.work files', () => {
    expect(modulePolicyErrors(files({ 'go.work': 'go 1.26\nuse /\n' }))).toMatch(/go.work files are not supported/);
  });
});
