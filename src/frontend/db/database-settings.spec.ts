import { validateSettings } from '../../platform/config/settings';
import { describeDatabase } from './database-options';

describe('DATABASE_URL and CACHE_URL', () => {
  it('accepts PostgreSQL URLs and empty (SQLite)', () => {
    expect(validateSettings({ DATABASE_URL: 'postgres://play:s3cret@db.internal:5432/playground' }).DATABASE_URL).toContain('db.internal');
    expect(validateSettings({ DATABASE_URL: 'postgresql://play@127.0.0.1/playground' }).DATABASE_URL).toContain('127.0.0.1');
    expect(validateSettings({}).DATABASE_URL).toBe('');
  });

  it('refuses another scheme or a URL without a database, and never repeats the value (it holds a password)', () => {
    for (const bad of ['mysql://play:hunter2@db/playground', 'postgres://play:hunter2@db', 'hunter2', 'postgres://play:hunter2@/x']) {
      let message = '';
      try {
        validateSettings({ DATABASE_URL: bad });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/DATABASE_URL: must/);
      expect(message).not.toContain('hunter2');
    }
  });

  it('describes a database for the logs without its password', () => {
    expect(describeDatabase({ url: 'postgres://play:hunter2@db.internal:6432/playground' })).toBe('PostgreSQL at db.internal:6432/playground');
  });

  it('takes memcached://host:port for the shared cache, and nothing else', () => {
    expect(validateSettings({ CACHE_URL: 'memcached://127.0.0.1:11211' }).CACHE_URL).toBe('memcached://127.0.0.1:11211');
    expect(validateSettings({ CACHE_URL: 'memcached://[::1]:11211' }).CACHE_URL).toBe('memcached://[::1]:11211');
    for (const bad of ['redis://127.0.0.1:6379', 'memcached://127.0.0.1', 'memcached://127.0.0.1:99999', '127.0.0.1:11211']) {
      expect(() => validateSettings({ CACHE_URL: bad })).toThrow(/CACHE_URL: must be empty/);
    }
  });
});
