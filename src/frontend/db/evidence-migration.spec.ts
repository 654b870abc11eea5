import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from './database-options';
import { openDatabase } from './open-database';
import { MIGRATIONS } from '../../../migrations';
import { EvidenceKeys1764500000000 } from '../../../migrations/1764500000000-evidence-keys';
import { testDatabase, TestDatabase } from '../../../test/support/database';

// A database as the service left it before client keys, upgraded by the real migrations, on
// SQLite or (TEST_POSTGRES_URL) PostgreSQL.
let where: TestDatabase;

beforeAll(async () => {
  where = await testDatabase('evidence-migration');
});

afterAll(async () => {
  await where.drop();
});

const result = (kind: string) => JSON.stringify({ kind, errors: kind === 'backend-error' ? 'sandbox unavailable' : '', events: [], status: 0, isTest: false, testsFailed: 0 });

it('keys existing dual runs as one unknown client, records which side failed, and makes a client-key secret', async () => {
  const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(EvidenceKeys1764500000000));
  const old = await openDatabase({ ...databaseOptions(where.setting), migrations: before, entities: [] });
  const rows: Array<[string, string, string, string, string]> = [
    // diff class, primary backend, primary kind, shadow backend, shadow kind
    ['backend-error', 'nacl-emulated', 'ran', 'linux-amd64', 'backend-error'],
    ['backend-error', 'linux-amd64', 'ran', 'nacl-emulated', 'backend-error'],
    ['backend-error', 'linux-amd64', 'backend-error', 'nacl-emulated', 'backend-error'],
    ['match', 'linux-amd64', 'ran', 'nacl-emulated', 'ran'],
  ];
  await old.destroy();
  for (const [cls, pb, pk, sb, sk] of rows) {
    await where.query(
      `INSERT INTO dual_runs (at, program_hash, program, program_kind, with_vet, route_reason, primary_backend, primary_toolchain, shadow_backend, shadow_toolchain,
         primary_result, shadow_result, diff_class, matched_rules, diff, primary_ms, shadow_ms)
       VALUES (?, 'h', 'p', 'plain', ?, 'r', ?, 'go', ?, 'go', ?, ?, ?, '[]', '', 1, 1)`,
      [where.dialect === 'sqlite' ? '2025-11-29 12:00:00.000' : new Date(), where.dialect === 'sqlite' ? 0 : false, pb, sb, result(pk), result(sk), cls]);
  }

  const upgraded: DataSource = await where.open();
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
    expect(Number((await upgraded.query(`SELECT COUNT(*) AS n FROM shadow_jobs`))[0].n)).toBe(0);
  } finally {
    await upgraded.destroy();
  }
});
