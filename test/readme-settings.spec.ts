import * as fs from 'fs';
import * as path from 'path';
import { allSettingSpecs } from '../src/launcher/all-settings';

describe('README', () => {
  const root = path.join(__dirname, '..');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

  it('opens with the two commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock.split('\n')[0]).toMatch(/^npm start\b/);
    expect(firstBlock.split('\n')[1]).toMatch(/^npm test\b/);
  });

  it('documents every setting, the legacy runner\'s in its own README', () => {
    const legacy = fs.readFileSync(path.join(root, 'legacy-nacl', 'README.md'), 'utf8');
    const missing = Object.keys(allSettingSpecs()).filter((name) => !readme.includes(`\`${name}\``) && !legacy.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
