import { leastLoaded } from './host-choice';

const host = (name: string, load: number) => ({ name, load: () => load });

describe('leastLoaded', () => {
  it('takes the host with the smallest share of its capacity in use', () => {
    expect(leastLoaded([host('a', 0.5), host('b', 0.25), host('c', 0.75)])?.name).toBe('b');
  });

  it('shares ties at random instead of always taking the first', () => {
    const hosts = [host('a', 0), host('b', 0), host('c', 0.1)];
    expect(leastLoaded(hosts, () => 0)?.name).toBe('a');
    expect(leastLoaded(hosts, () => 0.99)?.name).toBe('b');
  });

  it('never takes a host whose load is unknown (Infinity) over a known one, and has nothing to offer from nothing', () => {
    expect(leastLoaded([host('down', Infinity), host('busy', 3)])?.name).toBe('busy');
    expect(leastLoaded([host('down', Infinity)])).toBeUndefined();
    expect(leastLoaded([])).toBeUndefined();
  });
});
