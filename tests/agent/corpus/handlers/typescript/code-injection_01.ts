import express, { Request, Response } from 'express';

const app = express();
app.use(express.json());

interface Customer {
  name: string;
  plan: string;
}

function previewFor(customer: Customer, template: string): string {
  const { name, plan } = customer;
  const rendered = eval('`' + template + '`');
  return `${rendered} (${name.length}/${plan.length})`;
}

app.post('/campaigns/preview', (req: Request, res: Response) => {
  const template = String(req.body.template ?? '');
  const sample: Customer = { name: 'Ada', plan: 'pro' };
  res.json({ preview: previewFor(sample, template) });
});

export default app;
