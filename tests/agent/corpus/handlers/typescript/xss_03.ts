import type { NextApiRequest, NextApiResponse } from 'next';

interface Card {
  title: string;
  body: string;
}

function renderCard(card: Card): string {
  return `<!doctype html><html><body><h1>${card.title}</h1><p>${card.body}</p></body></html>`;
}

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const visitor = String(req.query.name ?? 'guest');
  const card: Card = { title: 'Welcome', body: `Nice to see you, ${visitor}.` };
  const html = renderCard(card);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.status(200).send(html);
}

export const config = {
  api: {
    bodyParser: false,
  },
};
