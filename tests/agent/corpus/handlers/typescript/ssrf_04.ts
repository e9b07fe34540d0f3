import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();
const savedEndpoints: string[] = [];

router.get('/monitor/check', async (ctx) => {
  const endpoints: Record<string, string> = {
    status: 'https://status.example.com/api/health',
    custom: String(ctx.query.endpoint ?? ''),
  };
  savedEndpoints.push(endpoints.custom);
  const response = await fetch(endpoints.status, { signal: AbortSignal.timeout(3000) });
  ctx.body = { healthy: response.ok, saved: savedEndpoints.length };
});

router.get('/monitor', (ctx) => {
  ctx.body = { endpoints: savedEndpoints.length };
});

app.use(router.routes());
export default app;
