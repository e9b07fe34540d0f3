'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const bodyParser = require('koa-bodyparser');

const app = new Koa();
const router = new Router();

router.post('/discounts/preview', (ctx) => {
  const rule = ctx.request.body.rule;
  const source = String(rule);
  const predicate = new Function('order', 'return ' + source + ';');
  const sampleOrders = [
    { total: 120, items: 3 },
    { total: 40, items: 1 },
  ];
  ctx.body = { matching: sampleOrders.filter((order) => predicate(order)).length };
});

router.get('/discounts', (ctx) => {
  ctx.body = { rules: [] };
});

app.use(bodyParser());
app.use(router.routes());
module.exports = app;
