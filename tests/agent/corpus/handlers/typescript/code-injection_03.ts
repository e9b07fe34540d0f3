import Koa from 'koa';
import Router from '@koa/router';
import vm from 'vm';

const app = new Koa();
const router = new Router();

function evaluateFormula(code: string): unknown {
  return vm.runInNewContext(code, { Math }, { timeout: 100 });
}

router.get('/formulas/evaluate', (ctx) => {
  const expression = ctx.query.expression as string;
  if (!expression) {
    ctx.throw(400, 'expression required');
  }
  ctx.body = { value: evaluateFormula(expression) };
});

router.get('/formulas', (ctx) => {
  ctx.body = { examples: ['Math.sqrt(2)', '2 ** 10'] };
});

app.use(router.routes());
export default app;
