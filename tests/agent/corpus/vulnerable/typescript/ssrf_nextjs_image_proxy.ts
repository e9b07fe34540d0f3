import type { NextApiRequest, NextApiResponse } from 'next';

const MAX_BYTES = 5 * 1024 * 1024;

export default async function handler(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  const source = typeof req.query.src === 'string' ? req.query.src : '';
  if (!source) {
    res.status(400).json({ error: 'src is required' });
    return;
  }

  const upstream = await fetch(source, { signal: AbortSignal.timeout(5000) });
  if (!upstream.ok) {
    res.status(502).json({ error: `upstream returned ${upstream.status}` });
    return;
  }
  const body = Buffer.from(await upstream.arrayBuffer());
  if (body.length > MAX_BYTES) {
    res.status(413).end();
    return;
  }
  res.setHeader('Content-Type', upstream.headers.get('content-type') ?? 'application/octet-stream');
  res.setHeader('Cache-Control', 'public, max-age=86400');
  res.send(body);
}
