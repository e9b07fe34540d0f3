'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const crypto = require('crypto');

const app = new Koa();
const router = new Router();
const refreshTokens = new Map();

router.post('/auth/refresh', (ctx) => {
  const userId = ctx.state.userId;
  const refreshToken = crypto.randomBytes(48).toString('base64url');
  refreshTokens.set(refreshToken, userId);
  ctx.cookies.set('refresh_token', refreshToken, {
    secure: true,
    httpOnly: true,
    sameSite: 'strict',
  });
  ctx.status = 204;
});

app.use(router.routes());
module.exports = app;
