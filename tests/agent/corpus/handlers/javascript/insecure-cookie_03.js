'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const crypto = require('crypto');

const app = new Koa();
const router = new Router();
const rememberTokens = new Map();

router.post('/login/remember', (ctx) => {
  const userId = ctx.state.userId;
  const rememberToken = crypto.randomBytes(32).toString('hex');
  rememberTokens.set(rememberToken, userId);
  ctx.cookies.set('remember_me', rememberToken, {
    secure: true,
    httpOnly: false,
    maxAge: 30 * 24 * 3600 * 1000,
  });
  ctx.status = 204;
});

app.use(router.routes());
module.exports = app;
