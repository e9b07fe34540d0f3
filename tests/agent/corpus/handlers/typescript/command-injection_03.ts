import type { NextApiRequest, NextApiResponse } from 'next';
import { execSync } from 'child_process';

interface ConvertRequest {
  video: string;
}

const MEDIA_DIR = process.env.MEDIA_DIR ?? '/srv/media';

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'POST') {
    res.status(405).end();
    return;
  }
  const { video } = req.body as ConvertRequest;
  const commandParts = ['ffmpeg', '-y', '-i', `${MEDIA_DIR}/${video}`, `${MEDIA_DIR}/preview.gif`];
  try {
    execSync(commandParts.join(' '), { timeout: 60000 });
    res.status(200).json({ preview: 'preview.gif' });
  } catch (error) {
    res.status(500).json({ error: 'conversion failed' });
  }
}
