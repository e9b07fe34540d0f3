// Test target for path-traversal.yaml (TypeScript).
import type { Request, Response } from "express";
import { readFile } from "node:fs/promises";
import path from "node:path";

const REPORTS = "/srv/app/reports";

export async function report(req: Request, res: Response): Promise<void> {
  const name = req.params.name as string;
  // ruleid: bastion.javascript.path-traversal
  const body = await readFile(path.join(REPORTS, name), "utf8");
  res.type("text/plain").send(body);
}

export async function safeReport(req: Request, res: Response): Promise<void> {
  const target = path.resolve(REPORTS, req.params.name as string);
  if (path.relative(REPORTS, target).startsWith("..")) {
    res.status(404).end();
    return;
  }
  // ok: bastion.javascript.path-traversal
  res.send(await readFile(target, "utf8"));
}
