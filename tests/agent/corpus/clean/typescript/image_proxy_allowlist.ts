import type { NextApiRequest, NextApiResponse } from 'next';

const MAX_BYTES = 5 * 1024 * 1024;
const ALLOWED_ORIGINS = new Set(['https://images.ctfassets.net', 'https://cdn.acme-assets.com']);

export default async function handler(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  let source: URL;
  try {
    source = new URL(typeof req.query.src === 'string' ? req.query.src : '');
  } catch {
    res.status(400).json({ error: 'src must be an absolute URL' });
    return;
  }
  if (!ALLOWED_ORIGINS.has(source.origin)) {
    res.status(400).json({ error: 'image host is not allowed' });
    return;
  }

  const upstream = await fetch(source, { redirect: 'error', signal: AbortSignal.timeout(5000) });
  const body = Buffer.from(await upstream.arrayBuffer());
  if (!upstream.ok || body.length > MAX_BYTES) {
    res.status(502).end();
    return;
  }
  res.setHeader('Content-Type', upstream.headers.get('content-type') ?? 'application/octet-stream');
  res.send(body);
}
