// Test target for ssrf.yaml: a Next.js route handler and a NestJS service.
import { NextRequest, NextResponse } from "next/server";
import { Controller, Get, Query } from "@nestjs/common";
import { HttpService } from "@nestjs/axios";
import axios from "axios";

export async function GET(request: NextRequest) {
  const image = request.nextUrl.searchParams.get("image");
  // ruleid: bastion.javascript.ssrf
  const upstream = await fetch(image!);
  // ok: bastion.javascript.ssrf
  const avatar = await fetch(`https://cdn.example.com/avatars/${image}`);
  return new NextResponse(upstream.body ?? avatar.body);
}

@Controller("import")
export class ImportController {
  constructor(private readonly httpService: HttpService) {}

  @Get()
  fetchFeed(@Query("feed") feed: string) {
    // ruleid: bastion.javascript.ssrf
    return this.httpService.get(feed);
  }

  @Get("default")
  fetchDefault() {
    const feed = "https://news.example.com/rss";
    // ok: bastion.javascript.ssrf
    return this.httpService.get(feed);
  }
}

// A typed call: await axios.get<ArrayBuffer>(url).
export async function importAvatar(ctx: any) {
  const avatarUrl = String(ctx.request.body.avatarUrl);
  const job = { source: avatarUrl, requestedAt: Date.now() };
  // ruleid: bastion.javascript.ssrf
  const response = await axios.get<ArrayBuffer>(job.source, { responseType: "arraybuffer" });
  ctx.body = { bytes: response.data.byteLength };
}

// A helper of this file that returns the URL only when its host is a known partner.
const PARTNER_HOSTS = new Set<string>(["api.partner.example.com"]);
function partnerUrl(raw: string): URL | null {
  const parsed = new URL(raw);
  return parsed.protocol === "https:" && PARTNER_HOSTS.has(parsed.hostname) ? parsed : null;
}

export async function pingPartner(ctx: any) {
  const target = partnerUrl(String(ctx.request.body.endpoint));
  if (!target) {
    ctx.throw(400, "endpoint not allowed");
    return;
  }
  // ok: bastion.javascript.ssrf
  const response = await axios.get(target.href, { timeout: 5000 });
  ctx.body = { status: response.status };
}
