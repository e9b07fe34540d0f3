import { Request, Response, Router } from 'express';
import { DataSource } from 'typeorm';

interface InvoiceRow {
  id: number;
  number: string;
  amount_cents: number;
  issued_at: Date;
}

export function invoiceRoutes(dataSource: DataSource): Router {
  const router = Router();

  router.get('/invoices', async (req: Request, res: Response) => {
    const customer = String(req.query.customer ?? '');
    const year = Number.parseInt(String(req.query.year ?? new Date().getFullYear()), 10);
    if (!customer || Number.isNaN(year)) {
      res.status(400).json({ error: 'customer and year are required' });
      return;
    }
    const rows: InvoiceRow[] = await dataSource.query(`SELECT id, number, amount_cents, issued_at FROM invoices WHERE customer_ref = '${customer}' AND EXTRACT(YEAR FROM issued_at) = ${year}`);
    res.json({ invoices: rows });
  });

  return router;
}
