// Test target for ssrf.yaml (TypeScript).
import type { Request, Response } from "express";

export async function proxy(req: Request, res: Response): Promise<void> {
  const target = req.query.target as string;
  // ruleid: bastion.javascript.ssrf
  const upstream = await fetch(target);
  res.status(upstream.status).send(await upstream.text());
}

export async function checkedProxy(req: Request, res: Response): Promise<void> {
  const target = req.query.target as string;
  if (!isAllowedUrl(target)) {
    res.status(400).end();
    return;
  }
  // ok: bastion.javascript.ssrf
  const upstream = await fetch(target);
  res.status(upstream.status).send(await upstream.text());
}

function isAllowedUrl(value: string): boolean {
  return new URL(value).hostname === "api.example.com";
}
