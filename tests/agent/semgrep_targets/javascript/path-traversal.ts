// Test target for path-traversal.yaml: a Koa handler and a Next.js route handler.
import { readFile } from "fs/promises";
import * as fs from "fs";
import path from "path";
import Router from "@koa/router";

const router = new Router();
const REPORTS = "/srv/reports";

router.get("/reports/:name", async (ctx) => {
  // ruleid: bastion.javascript.path-traversal
  ctx.body = await readFile(path.join(REPORTS, ctx.params.name));
});

router.get("/reports/safe/:name", async (ctx) => {
  const name: string = ctx.params.name;
  if (name.includes("..")) {
    ctx.throw(400);
  }
  // ok: bastion.javascript.path-traversal
  ctx.body = await readFile(path.join(REPORTS, name));
});

export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  // ruleid: bastion.javascript.path-traversal
  const data = fs.readFileSync(path.join(REPORTS, searchParams.get("file") ?? ""));
  // ok: bastion.javascript.path-traversal
  const index = fs.readFileSync(path.join(REPORTS, "index.json"));
  return new Response(data + index.toString());
}
