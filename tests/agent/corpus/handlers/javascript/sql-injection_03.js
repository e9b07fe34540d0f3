'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const sqlite3 = require('sqlite3');

const app = new Koa();
const router = new Router();
const db = new sqlite3.Database(process.env.TICKETS_DB || 'tickets.db');

function allRows(sql) {
  return new Promise((resolve, reject) => {
    db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows)));
  });
}

router.get('/tickets/open', async (ctx) => {
  const filters = { status: 'open', owner: ctx.query.owner };
  const sql = "SELECT id, title FROM tickets WHERE status = '" + filters.status + "'";
  const rows = await allRows(sql);
  ctx.body = { owner: filters.owner, tickets: rows };
});

app.use(router.routes());
module.exports = app;
