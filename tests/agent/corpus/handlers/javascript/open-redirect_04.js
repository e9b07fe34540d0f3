'use strict';
const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();
const ALLOWED_HOSTS = new Set(['docs.example.com', 'status.example.com']);

function allowedTarget(raw) {
  try {
    const parsed = new URL(raw);
    return parsed.protocol === 'https:' && ALLOWED_HOSTS.has(parsed.hostname) ? parsed.href : null;
  } catch (error) {
    return null;
  }
}

router.get('/go', (ctx) => {
  const target = allowedTarget(ctx.query.to);
  if (target === null) {
    ctx.throw(400, 'destination not allowed');
  }
  ctx.redirect(target);
});

app.use(router.routes());
module.exports = app;
