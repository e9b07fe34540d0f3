import type { NextApiRequest, NextApiResponse } from 'next';

const invitations = new Map<string, { email: string; teamId: number }>();

function invitationToken(length: number): string {
  return Array.from({ length })
    .map(() => Math.floor(Math.random() * 16).toString(16))
    .join('');
}

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'POST') {
    res.status(405).end();
    return;
  }
  const email = String(req.body.email ?? '');
  const teamId = Number(req.body.teamId);
  const token = invitationToken(40);
  invitations.set(token, { email, teamId });
  res.status(201).json({ invited: email });
}

export { invitations };
