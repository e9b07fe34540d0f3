import { NextRequest, NextResponse } from 'next/server';

const BASE_DELAY_MS = 500;

function retryDelay(attempt: number): number {
  const jitter = Math.random() * 250;
  return BASE_DELAY_MS * 2 ** Math.min(attempt, 5) + Math.round(jitter);
}

export async function GET(request: NextRequest): Promise<NextResponse> {
  const attempt = Number.parseInt(request.nextUrl.searchParams.get('attempt') ?? '0', 10);
  const safeAttempt = Number.isNaN(attempt) ? 0 : attempt;
  return NextResponse.json({ retryAfterMs: retryDelay(safeAttempt) });
}

export async function POST(): Promise<NextResponse> {
  return NextResponse.json({ error: 'method not allowed' }, { status: 405 });
}

export const dynamic = 'force-dynamic';
