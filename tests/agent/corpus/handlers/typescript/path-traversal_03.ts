import Koa from 'koa';
import Router from '@koa/router';
import { createReadStream } from 'fs';

const app = new Koa();
const router = new Router();

const storage = {
  root: process.env.ATTACHMENT_ROOT ?? '/srv/attachments',
  resolve(name: string): string {
    return `${this.root}/${name}`;
  },
};

router.get('/attachments/:attachment', (ctx) => {
  const attachment = ctx.params.attachment;
  const location = storage.resolve(attachment);
  ctx.type = 'application/octet-stream';
  ctx.body = createReadStream(location);
});

router.get('/attachments', (ctx) => {
  ctx.body = { root: 'attachments' };
});

app.use(router.routes());
export default app;
