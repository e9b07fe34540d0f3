import type { NextApiRequest, NextApiResponse } from 'next';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

interface Subscriber {
  id: number;
  email: string;
}

async function findSubscriber(email: string): Promise<Subscriber | undefined> {
  const result = await pool.query<Subscriber>('SELECT id, email FROM subscribers WHERE email = $1', [email]);
  return result.rows[0];
}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const email = String(req.body?.email ?? '');
  const subscriber = await findSubscriber(email);
  if (!subscriber) {
    res.status(404).json({ subscribed: false });
    return;
  }
  res.status(200).json({ subscribed: true });
}
