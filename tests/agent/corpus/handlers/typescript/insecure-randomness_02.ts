import express, { Request, Response } from 'express';
import { randomBytes, randomUUID } from 'crypto';

const app = express();
app.use(express.json());

interface DeviceSession {
  id: string;
  secret: string;
}

const deviceSessions = new Map<string, DeviceSession>();

app.post('/devices/pair', (req: Request, res: Response) => {
  const session: DeviceSession = {
    id: randomUUID(),
    secret: randomBytes(32).toString('base64url'),
  };
  deviceSessions.set(session.id, session);
  res.status(201).json({ deviceSessionId: session.id, secret: session.secret });
});

app.get('/devices/count', (req: Request, res: Response) => {
  res.json({ count: deviceSessions.size });
});

export default app;
