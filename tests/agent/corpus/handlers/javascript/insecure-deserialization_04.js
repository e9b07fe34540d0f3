'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const bodyParser = require('koa-bodyparser');
const serialize = require('node-serialize');

const app = new Koa();
const router = new Router();
const DEFAULT_STATE = serialize.serialize({ step: 1, answers: [] });

router.post('/survey/reset', (ctx) => {
  const submitted = JSON.stringify(ctx.request.body || {});
  const state = serialize.unserialize(DEFAULT_STATE);
  ctx.body = { step: state.step, discardedBytes: submitted.length };
});

router.get('/survey', (ctx) => {
  ctx.body = { step: 1 };
});

app.use(bodyParser());
app.use(router.routes());
module.exports = app;
