import express, { Request, Response } from 'express';

const app = express();

function safeReturnPath(candidate: unknown): string {
  if (typeof candidate !== 'string' || !candidate.startsWith('/') || candidate.startsWith('//')) {
    return '/';
  }
  return candidate;
}

app.get('/sso/finish', (req: Request, res: Response) => {
  const target = safeReturnPath(req.query.returnTo);
  res.redirect(target);
});

app.get('/', (req: Request, res: Response) => {
  res.send('home');
});

app.get('/health', (req: Request, res: Response) => {
  res.json({ ok: true });
});

export default app;
