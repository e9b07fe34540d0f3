import { NextRequest, NextResponse } from 'next/server';

interface PreviewRequest {
  url: string;
}

function titleOf(html: string): string {
  const match = /<title>([^<]*)<\/title>/i.exec(html);
  return match ? match[1].slice(0, 200) : '';
}

export async function POST(request: NextRequest): Promise<NextResponse> {
  const { url } = (await request.json()) as PreviewRequest;
  const upstream = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!upstream.ok) {
    return NextResponse.json({ error: 'preview unavailable' }, { status: 502 });
  }
  const html = await upstream.text();
  return NextResponse.json({ title: titleOf(html) });
}

export const runtime = 'nodejs';
