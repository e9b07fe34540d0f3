import { NextRequest, NextResponse } from 'next/server';
import { randomBytes } from 'crypto';

interface LoginBody {
  username: string;
}

const sessions = new Map<string, string>();

export async function POST(request: NextRequest): Promise<NextResponse> {
  const body = (await request.json()) as LoginBody;
  if (!body.username) {
    return NextResponse.json({ error: 'username required' }, { status: 400 });
  }
  const sessionId = randomBytes(32).toString('hex');
  sessions.set(sessionId, body.username);
  const response = NextResponse.json({ ok: true });
  response.cookies.set('session_id', sessionId, { httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
  return response;
}

export const runtime = 'nodejs';
