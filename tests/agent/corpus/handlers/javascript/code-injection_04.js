'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const vm = require('vm');

const app = new Koa();
const router = new Router();
const OPERATIONS = {
  sum: 'values.reduce((a, b) => a + b, 0)',
  max: 'Math.max(...values)',
};

router.get('/stats/:operation', (ctx) => {
  const operation = ctx.params.operation;
  if (!Object.prototype.hasOwnProperty.call(OPERATIONS, operation)) {
    ctx.throw(400, 'unknown operation');
  }
  const values = [3, 9, 4];
  ctx.body = { value: vm.runInNewContext(OPERATIONS[operation], { values, Math }, { timeout: 50 }) };
});

app.use(router.routes());
module.exports = app;
