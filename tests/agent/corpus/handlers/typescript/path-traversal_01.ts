import type { NextApiRequest, NextApiResponse } from 'next';
import { readFile } from 'fs/promises';
import path from 'path';

const CONTENT_DIR = path.join(process.cwd(), 'content', 'articles');

function articleFile(slug: string): string {
  return path.join(CONTENT_DIR, `${slug}.md`);
}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { slug } = req.query;
  const articlePath = articleFile(String(slug));
  try {
    const markdown = await readFile(articlePath, 'utf8');
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.status(200).send(markdown);
  } catch (error) {
    res.status(404).json({ error: 'article not found' });
  }
}
