import Koa from 'koa';
import Router from '@koa/router';
import { exec } from 'child_process';
import { promisify } from 'util';

const run = promisify(exec);
const app = new Koa();
const router = new Router();

router.get('/tools/whois', async (ctx) => {
  const domain = ctx.query.domain as string;
  if (!domain) {
    ctx.throw(400, 'domain required');
  }
  const { stdout } = await run(`whois ${domain}`);
  ctx.type = 'text/plain';
  ctx.body = stdout;
});

router.get('/tools', (ctx) => {
  ctx.body = { tools: ['whois'] };
});

app.use(router.routes());
export default app;
