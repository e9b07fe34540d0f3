import type { NextApiRequest, NextApiResponse } from 'next';
import mysql from 'mysql2/promise';

const pool = mysql.createPool({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  database: 'sales',
});

function storesIn(region: string): string {
  return `SELECT id, city, manager FROM stores WHERE region = '${region}'`;
}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'GET') {
    res.status(405).end();
    return;
  }
  const { region } = req.query;
  const sql = storesIn(String(region));
  const [rows] = await pool.query(sql);
  res.status(200).json({ stores: rows });
}
