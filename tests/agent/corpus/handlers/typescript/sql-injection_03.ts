import express, { Request, Response } from 'express';
import { open, Database } from 'sqlite';
import sqlite3 from 'sqlite3';

class StockRepository {
  constructor(private readonly db: Database) {}

  async lowStock(warehouse: string): Promise<unknown[]> {
    const query = 'SELECT sku, quantity FROM stock WHERE quantity < 5 AND warehouse = "' + warehouse + '"';
    const rows = await this.db.all(query);
    return rows;
  }
}

export async function createApp(): Promise<express.Express> {
  const db = await open({ filename: process.env.STOCK_DB ?? 'stock.db', driver: sqlite3.Database });
  const repository = new StockRepository(db);
  const app = express();
  app.get('/warehouses/:warehouse/low-stock', async (req: Request, res: Response) => {
    const warehouse: string = req.params.warehouse;
    res.json(await repository.lowStock(warehouse));
  });
  return app;
}
