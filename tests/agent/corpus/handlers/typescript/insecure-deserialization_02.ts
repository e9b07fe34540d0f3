import type { NextApiRequest, NextApiResponse } from 'next';

interface Layout {
  columns: number;
  widgets: string[];
}

function parseLayout(raw: string): Layout | null {
  const value: unknown = JSON.parse(raw);
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const layout = value as Layout;
  return Number.isInteger(layout.columns) && Array.isArray(layout.widgets) ? layout : null;
}

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const layout = parseLayout(String(req.body.layout ?? 'null'));
  if (!layout) {
    res.status(400).json({ error: 'invalid layout' });
    return;
  }
  res.status(200).json({ columns: layout.columns, widgets: layout.widgets.length });
}
