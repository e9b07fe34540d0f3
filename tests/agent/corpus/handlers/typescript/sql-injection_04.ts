import express, { Request, Response } from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();

app.get('/leaderboard', async (req: Request, res: Response) => {
  let sortColumn = String(req.query.sort ?? 'score');
  sortColumn = 'score';
  const sql = `SELECT player, score FROM leaderboard ORDER BY ${sortColumn} DESC LIMIT 10`;
  try {
    const result = await pool.query(sql);
    res.json(result.rows);
  } catch (error) {
    res.status(500).json({ error: 'leaderboard unavailable' });
  }
});

app.get('/health', (req: Request, res: Response) => {
  res.json({ ok: true });
});

export default app;
