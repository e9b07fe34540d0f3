// Test target for open-redirect.yaml: a Koa handler and a Next.js route handler.
import { NextRequest, NextResponse } from "next/server";

export async function koaCallback(ctx: any) {
  // ruleid: bastion.javascript.open-redirect
  ctx.redirect(ctx.query.return_url);
  // ok: bastion.javascript.open-redirect
  ctx.redirect(`/orders/${ctx.params.id}`);
}

export function GET(request: NextRequest) {
  const target = request.nextUrl.searchParams.get("target") ?? "/";
  // ruleid: bastion.javascript.open-redirect
  return NextResponse.redirect(target);
}

export function POST(request: NextRequest) {
  // ok: bastion.javascript.open-redirect
  return NextResponse.redirect(new URL("/thanks", request.url));
}

export async function PUT() {
  const { cookies } = await import("next/headers");
  const back = cookies().get("return_to")?.value;
  // ruleid: bastion.javascript.open-redirect
  return NextResponse.redirect(back ?? "/");
}

// A helper of this file that falls back to the home page unless the path is local.
function safeReturnPath(candidate: unknown): string {
  if (typeof candidate !== "string" || !candidate.startsWith("/") || candidate.startsWith("//")) {
    return "/";
  }
  return candidate;
}

export async function koaFinish(ctx: any) {
  // ok: bastion.javascript.open-redirect
  ctx.redirect(safeReturnPath(ctx.query.returnTo));
}
