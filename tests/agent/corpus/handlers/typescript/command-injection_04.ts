import Koa from 'koa';
import Router from '@koa/router';
import { exec } from 'child_process';

const app = new Koa();
const router = new Router();
const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function traceroute(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    exec(`traceroute -m 10 ${host}`, { timeout: 20000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

router.get('/tools/traceroute', async (ctx) => {
  const host = String(ctx.query.host ?? '');
  if (!HOSTNAME.test(host)) {
    ctx.throw(400, 'invalid host');
  }
  ctx.type = 'text/plain';
  ctx.body = await traceroute(host);
});

app.use(router.routes());
export default app;
