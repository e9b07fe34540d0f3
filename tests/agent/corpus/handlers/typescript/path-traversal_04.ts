import Koa from 'koa';
import Router from '@koa/router';
import { readFile } from 'fs/promises';

const app = new Koa();
const router = new Router();

const settings = {
  changelogPath: process.env.CHANGELOG_PATH ?? '/srv/app/CHANGELOG.md',
};

router.get('/changelog', async (ctx) => {
  const requestedVersion = Number.parseInt(String(ctx.query.version ?? '0'), 10);
  const changelog = await readFile(settings.changelogPath, 'utf8');
  ctx.type = 'text/plain';
  ctx.body = `${changelog}\n(requested version ${Number.isNaN(requestedVersion) ? 0 : requestedVersion})`;
});

router.get('/version', (ctx) => {
  ctx.body = { version: process.env.APP_VERSION ?? 'dev' };
});

app.use(router.routes());
export default app;
