import express, { Request, Response } from 'express';

const app = express();
app.use(express.urlencoded({ extended: false }));

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ENTITIES[character]);
}

app.post('/comments/preview', (req: Request, res: Response) => {
  const comment = escapeHtml(String(req.body.comment ?? ''));
  res.type('html').send(`<div class="comment-preview">${comment}</div>`);
});

export default app;
