import Koa from 'koa';
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import axios from 'axios';

interface ImportJob {
  source: string;
  requestedAt: number;
}

const app = new Koa();
const router = new Router();

router.post('/profile/avatar/import', async (ctx) => {
  const avatarUrl = String(ctx.request.body.avatarUrl);
  const job: ImportJob = { source: avatarUrl, requestedAt: Date.now() };
  const response = await axios.get<ArrayBuffer>(job.source, {
    responseType: 'arraybuffer',
    timeout: 5000,
  });
  ctx.body = { bytes: response.data.byteLength };
});

app.use(bodyParser());
app.use(router.routes());
export default app;
