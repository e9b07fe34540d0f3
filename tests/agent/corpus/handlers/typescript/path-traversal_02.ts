import express, { Request, Response } from 'express';
import { promises as fs } from 'fs';
import path from 'path';

const app = express();
const LOCALES_DIR = path.join(__dirname, 'locales');
const SUPPORTED = new Set<string>(['en', 'fr', 'de', 'es']);

app.get('/i18n/:locale', async (req: Request, res: Response) => {
  const locale = req.params.locale;
  if (!SUPPORTED.has(locale)) {
    res.status(404).json({ error: 'unsupported locale' });
    return;
  }
  const messages = await fs.readFile(path.join(LOCALES_DIR, `${locale}.json`), 'utf8');
  res.type('application/json').send(messages);
});

app.get('/i18n', (req: Request, res: Response) => {
  res.json({ locales: Array.from(SUPPORTED) });
});

export default app;
