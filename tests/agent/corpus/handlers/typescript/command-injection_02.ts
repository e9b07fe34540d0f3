import express, { Request, Response } from 'express';
import { spawn } from 'child_process';
import path from 'path';

const app = express();
app.use(express.json());

function wordCount(fileName: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('wc', ['-w', '--', fileName], { cwd: '/srv/documents', timeout: 5000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (code) => (code === 0 ? resolve(output.trim()) : reject(new Error('wc failed'))));
  });
}

app.post('/documents/word-count', async (req: Request, res: Response) => {
  try {
    res.json({ count: await wordCount(path.basename(String(req.body.fileName))) });
  } catch (error) {
    res.status(400).json({ error: 'count failed' });
  }
});

export default app;
