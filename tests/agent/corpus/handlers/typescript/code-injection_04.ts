import type { NextApiRequest, NextApiResponse } from 'next';

const savedExpressions: string[] = [];
const DEFAULT_LIMITS = '({ maxItems: 50, maxDepth: 4 })';

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'POST') {
    res.status(405).end();
    return;
  }
  const expression = String(req.body.expression ?? '');
  savedExpressions.push(expression);
  const limits = eval(DEFAULT_LIMITS) as { maxItems: number; maxDepth: number };
  res.status(200).json({ saved: savedExpressions.length, limits });
}

export function savedCount(): number {
  return savedExpressions.length;
}

export const config = {
  api: { bodyParser: { sizeLimit: '16kb' } },
};
