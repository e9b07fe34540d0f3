import Koa from 'koa';
import Router from '@koa/router';
import vm from 'vm';

const app = new Koa();
const router = new Router();
const AVERAGE = 'values.reduce((sum, value) => sum + value, 0) / values.length';

router.get('/stats/average', (ctx) => {
  const values = String(ctx.query.values ?? '')
    .split(',')
    .map((item) => Number(item))
    .filter((item) => Number.isFinite(item));
  if (values.length === 0) {
    ctx.throw(400, 'no values');
  }
  ctx.body = { average: vm.runInNewContext(AVERAGE, { values }, { timeout: 50 }) };
});

app.use(router.routes());
export default app;
