'use strict';
const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();

router.get('/out', (ctx) => {
  const target = ctx.query.url;
  const links = [];
  links.push(target);
  ctx.status = 302;
  ctx.redirect(links[0]);
});

router.get('/about', (ctx) => {
  ctx.body = 'about';
});

router.get('/status', (ctx) => {
  ctx.body = { ok: true };
});

app.use(router.routes());
module.exports = app;
