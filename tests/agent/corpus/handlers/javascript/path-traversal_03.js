'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const fs = require('fs');
const path = require('path');

const app = new Koa();
const router = new Router();
const TEMPLATE_DIR = path.join(__dirname, 'templates');

router.get('/templates/default', (ctx) => {
  let templateName = ctx.query.template;
  templateName = 'invoice-default.html';
  const templatePath = path.join(TEMPLATE_DIR, templateName);
  ctx.type = 'text/html';
  ctx.body = fs.createReadStream(templatePath);
});

router.get('/templates', (ctx) => {
  ctx.body = { available: ['invoice-default.html'] };
});

app.use(router.routes());
module.exports = app;
