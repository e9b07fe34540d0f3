'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const bodyParser = require('koa-bodyparser');
const serialize = require('node-serialize');

const app = new Koa();
const router = new Router();

function restoreState(text) {
  return serialize.unserialize(text);
}

router.post('/wizard/resume', (ctx) => {
  const payload = ctx.request.body.state;
  const state = restoreState(payload);
  ctx.body = { step: state.step, total: 5 };
});

router.get('/wizard', (ctx) => {
  ctx.body = { step: 1, total: 5 };
});

app.use(bodyParser());
app.use(router.routes());
module.exports = app;
