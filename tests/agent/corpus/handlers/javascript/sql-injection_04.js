'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const bodyParser = require('koa-bodyparser');
const sqlite3 = require('sqlite3');

const app = new Koa();
const router = new Router();
const db = new sqlite3.Database(process.env.USERS_DB || 'users.db');

router.post('/accounts/lookup', async (ctx) => {
  const { email } = ctx.request.body;
  const trimmed = email.trim();
  const sql = 'SELECT id, display_name FROM accounts WHERE email = \'' + trimmed + '\'';
  const rows = await new Promise((resolve, reject) => {
    db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows)));
  });
  ctx.body = { matches: rows.length, accounts: rows };
});

app.use(bodyParser());
app.use(router.routes());
module.exports = app;
