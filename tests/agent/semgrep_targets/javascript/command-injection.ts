// Test target for command-injection.yaml: a Hono route and a Next.js route handler.
import { Hono } from "hono";
import { exec, execFile } from "node:child_process";
import { NextRequest } from "next/server";
import { promisify } from "node:util";

const app = new Hono();

app.get("/dns", (c) => {
  const domain = c.req.query("domain");
  // ruleid: bastion.javascript.command-injection
  exec(`nslookup ${domain}`);
  // ok: bastion.javascript.command-injection
  execFile("nslookup", [domain ?? "example.com"]);
  return c.text("ok");
});

export async function POST(request: NextRequest) {
  const { branch } = await request.json();
  if (!/^[\w.-]+$/.test(branch)) {
    return new Response("bad branch", { status: 400 });
  }
  // ok: bastion.javascript.command-injection
  exec(`git checkout ${branch}`);
  const form = await request.formData();
  // ruleid: bastion.javascript.command-injection
  exec("convert " + form.get("file"));
  return new Response("ok");
}

// child_process.exec turned into a promise-returning function.
const runCommand = promisify(exec);
export async function whois(ctx: any) {
  const domain = ctx.query.domain as string;
  // ruleid: bastion.javascript.command-injection
  const { stdout } = await runCommand(`whois ${domain}`);
  // ok: bastion.javascript.command-injection
  await runCommand("whois example.com");
  ctx.body = stdout;
}
