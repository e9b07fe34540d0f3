import express, { Request, Response, CookieOptions } from 'express';
import { randomBytes } from 'crypto';

const app = express();
app.use(express.json());
const rememberTokens = new Map<string, string>();

const REMEMBER_COOKIE: CookieOptions = {
  secure: true,
  httpOnly: true,
  sameSite: 'lax',
  maxAge: 30 * 24 * 3600 * 1000,
};

app.post('/login/remember', (req: Request, res: Response) => {
  const account = String(req.body.account ?? '');
  if (!account) {
    res.status(400).end();
    return;
  }
  const token = randomBytes(32).toString('hex');
  rememberTokens.set(token, account);
  res.cookie('remember_me', token, REMEMBER_COOKIE);
  res.status(204).end();
});

export default app;
