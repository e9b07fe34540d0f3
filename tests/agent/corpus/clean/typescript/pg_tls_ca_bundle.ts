import { readFileSync } from 'node:fs';
import { Pool } from 'pg';

import { loadConfig } from './config';

const config = loadConfig();

export const pool = new Pool({
  connectionString: config.databaseUrl,
  ssl: {
    rejectUnauthorized: true,
    ca: readFileSync(config.databaseCaBundlePath, 'utf8'),
  },
  max: 20,
  idleTimeoutMillis: 30_000,
});

export async function healthCheck(): Promise<boolean> {
  const result = await pool.query('SELECT 1 AS ok');
  return result.rows[0]?.ok === 1;
}
