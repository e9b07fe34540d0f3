'use strict';
const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();
const FEATURED = ['lamp', 'chair', 'desk', 'shelf', 'rug'];

function shuffled(items) {
  const copy = items.slice();
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

router.get('/featured', (ctx) => {
  ctx.body = { products: shuffled(FEATURED).slice(0, 3) };
});

app.use(router.routes());
module.exports = app;
