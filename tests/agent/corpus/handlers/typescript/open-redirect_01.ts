import { NextRequest, NextResponse } from 'next/server';

const SESSION_COOKIE = 'session';

function hasSession(request: NextRequest): boolean {
  return request.cookies.has(SESSION_COOKIE);
}

export async function GET(request: NextRequest): Promise<NextResponse> {
  if (!hasSession(request)) {
    return NextResponse.json({ error: 'not signed in' }, { status: 401 });
  }
  const callbackUrl = request.nextUrl.searchParams.get('callbackUrl') ?? '/';
  return NextResponse.redirect(new URL(callbackUrl, request.url));
}

export async function POST(): Promise<NextResponse> {
  return NextResponse.json({ error: 'method not allowed' }, { status: 405 });
}

export const dynamic = 'force-dynamic';
