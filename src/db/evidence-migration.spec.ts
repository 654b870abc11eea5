import 'reflect-metadata';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { databaseOptions } from './database-options';
import { MIGRATIONS } from '../../migrations';
import { EvidenceKeys1764500000000 } from '../../migrations/1764500000000-evidence-keys';

// A database as the service left it before client keys, upgraded by the real migrations.
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-migration-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const result = (kind: string) => JSON.stringify({ kind, errors: kind === 'backend-error' ? 'sandbox unavailable' : '', events: [], status: 0, isTest: false, testsFailed: 0 });

it('keys existing dual runs as one unknown client, records which side failed, and makes a client-key secret', async () => {
  const file = path.join(dir, 'db.sqlite');
  const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(EvidenceKeys1764500000000));
  const old = await new DataSource({ ...databaseOptions(file), migrations: before, entities: [] }).initialize();
  const rows: Array<[string, string, string, string, string]> = [
    // diff class, primary backend, primary kind, shadow backend, shadow kind
    ['backend-error', 'nacl-emulated', 'ran', 'linux-amd64', 'backend-error'],
    ['backend-error', 'linux-amd64', 'ran', 'nacl-emulated', 'backend-error'],
    ['backend-error', 'linux-amd64', 'backend-error', 'nacl-emulated', 'backend-error'],
    ['match', 'linux-amd64', 'ran', 'nacl-emulated', 'ran'],
  ];
  for (const [cls, pb, pk, sb, sk] of rows) {
    await old.query(
      `INSERT INTO dual_runs (at, program_hash, program, program_kind, with_vet, route_reason, primary_backend, primary_toolchain, shadow_backend, shadow_toolchain,
         primary_result, shadow_result, diff_class, matched_rules, diff, primary_ms, shadow_ms)
       VALUES (datetime('now'), 'h', 'p', 'plain', 0, 'r', ?, 'go', ?, 'go', ?, ?, ?, '[]', '', 1, 1)`, [pb, sb, result(pk), result(sk), cls]);
  }
  await old.destroy();

  const upgraded = await new DataSource(databaseOptions(file)).initialize();
  try {
    const got = await upgraded.query(`SELECT diff_class, failed_side, client_key FROM dual_runs ORDER BY id`);
    expect(got).toEqual([
      { diff_class: 'backend-error', failed_side: 'new', client_key: '' },
      { diff_class: 'backend-error', failed_side: 'legacy', client_key: '' },
      { diff_class: 'backend-error', failed_side: 'both', client_key: '' },
      { diff_class: 'match', failed_side: '', client_key: '' },
    ]);
    const [state] = await upgraded.query(`SELECT client_key_secret FROM control_state WHERE id = 1`);
    expect(state.client_key_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(await upgraded.query(`SELECT COUNT(*) AS n FROM shadow_jobs`)).toEqual([{ n: 0 }]);
  } finally {
    await upgraded.destroy();
  }
});
