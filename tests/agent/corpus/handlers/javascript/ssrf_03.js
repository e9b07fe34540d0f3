'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const bodyParser = require('koa-bodyparser');

const app = new Koa();
const router = new Router();
const pendingHooks = [];

router.post('/webhooks/test', async (ctx) => {
  const hook = { callback: ctx.request.body.callback, probe: 'https://echo.example.com/ping' };
  pendingHooks.push(hook.callback);
  const response = await fetch(hook.probe, {
    method: 'POST',
    body: JSON.stringify({ test: true }),
    signal: AbortSignal.timeout(3000),
  });
  ctx.body = { reachable: response.ok, queued: pendingHooks.length };
});

app.use(bodyParser());
app.use(router.routes());
module.exports = app;
