// Test target for xss.yaml: a Fastify route and a Koa handler.
import Fastify from "fastify";
import { encode } from "he";

const fastify = Fastify();

fastify.get("/greet", async (request, reply) => {
  const query = request.query as { name: string };
  const name = query.name;
  reply.type("text/html");
  // ruleid: bastion.javascript.xss
  reply.send(`<p>Hello ${name}</p>`);
});

fastify.get("/greet/safe", async (request, reply) => {
  const { name } = request.query as { name: string };
  reply.type("text/html");
  // ok: bastion.javascript.xss
  reply.send(`<p>Hello ${encode(name)}</p>`);
});

export async function show(ctx: any) {
  // ruleid: bastion.javascript.xss
  ctx.body = "<h1>" + ctx.query.title + "</h1>";
  // ok: bastion.javascript.xss
  ctx.body = "<h1>" + "Title" + "</h1>";
}

export async function api(ctx: any) {
  // ok: bastion.javascript.xss
  ctx.body = { title: ctx.query.title };
}

fastify.get("/echo", async (request, reply) => {
  const { message } = request.query as { message: string };
  reply.header("Content-Type", "text/html");
  // ruleid: bastion.javascript.xss
  reply.send(`<pre>${message}</pre>`);
  // ok: bastion.javascript.xss
  reply.send(`<pre>${encode(message)}</pre>`);
});

// Functions of this file: one reads the page's URL, another writes its parameter into the page.
function readSearch(): { term: string } {
  const params = new URLSearchParams(window.location.search);
  return { term: params.get("q") ?? "" };
}

function renderHeading(state: { term: string }): void {
  const heading = `Results for <b>${state.term}</b>`;
  (document.getElementById("heading") as HTMLElement).innerHTML = heading;
}

document.addEventListener("DOMContentLoaded", () => {
  // ruleid: bastion.javascript.xss
  renderHeading(readSearch());
  // ok: bastion.javascript.xss
  renderHeading({ term: "all products" });
});

function renderEscapedHeading(state: { term: string }): void {
  (document.getElementById("heading") as HTMLElement).innerHTML = `Results for <b>${encode(state.term)}</b>`;
}

document.addEventListener("DOMContentLoaded", () => {
  // ok: bastion.javascript.xss
  renderEscapedHeading(readSearch());
});
