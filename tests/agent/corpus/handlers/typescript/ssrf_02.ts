import express, { Request, Response } from 'express';
import axios from 'axios';

const app = express();
app.use(express.json());
const PARTNER_HOSTS = new Set<string>(['api.partner-one.example.com', 'api.partner-two.example.com']);

function partnerUrl(raw: string): URL | null {
  try {
    const parsed = new URL(raw);
    return parsed.protocol === 'https:' && PARTNER_HOSTS.has(parsed.hostname) ? parsed : null;
  } catch (error) {
    return null;
  }
}

app.post('/partners/ping', async (req: Request, res: Response) => {
  const target = partnerUrl(String(req.body.endpoint ?? ''));
  if (!target) {
    res.status(400).json({ error: 'endpoint not allowed' });
    return;
  }
  const response = await axios.get(target.href, { timeout: 5000 });
  res.json({ status: response.status });
});

export default app;
