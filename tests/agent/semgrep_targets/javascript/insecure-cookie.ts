// Test target for insecure-cookie.yaml: Next.js route handlers (no flag is set unless told).
import { NextRequest, NextResponse } from "next/server";
import { randomBytes } from "crypto";

export async function POST(request: NextRequest): Promise<NextResponse> {
  const sessionId = randomBytes(32).toString("hex");
  const response = NextResponse.json({ ok: true });
  // ruleid: bastion.javascript.insecure-cookie.missing-secure
  response.cookies.set("session_id", sessionId, { httpOnly: true, sameSite: "lax", path: "/" });
  // ok: bastion.javascript.insecure-cookie.missing-secure
  response.cookies.set("auth_token", sessionId, { httpOnly: true, secure: true, sameSite: "lax" });
  // ok: bastion.javascript.insecure-cookie.missing-secure
  response.cookies.set("theme", "dark", { path: "/" });
  return response;
}
