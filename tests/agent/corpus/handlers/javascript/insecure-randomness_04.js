'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const bodyParser = require('koa-bodyparser');

const app = new Koa();
const router = new Router();
const pendingCodes = new Map();

function oneTimeCode(length) {
  const digits = [];
  for (let i = 0; i < length; i += 1) {
    digits.push(Math.floor(Math.random() * 10));
  }
  return digits.join('');
}

router.post('/login/otp', (ctx) => {
  const phone = String(ctx.request.body.phone || '');
  pendingCodes.set(phone, oneTimeCode(6));
  ctx.status = 202;
});

app.use(bodyParser());
app.use(router.routes());
module.exports = app;
