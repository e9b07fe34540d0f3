import express, { Request, Response } from 'express';
import { randomBytes } from 'crypto';

const app = express();
app.use(express.json());
const tokens = new Map<string, string>();

function issueToken(account: string): string {
  const token = randomBytes(24).toString('base64url');
  tokens.set(token, account);
  return token;
}

app.post('/auth/token', (req: Request, res: Response) => {
  const account = String(req.body.account ?? '');
  if (!account) {
    res.status(400).end();
    return;
  }
  const authToken = issueToken(account);
  res.cookie('auth_token', authToken, { secure: true, sameSite: 'strict' });
  res.status(204).end();
});

export default app;
