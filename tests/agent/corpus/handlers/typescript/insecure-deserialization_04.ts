import Koa from 'koa';
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import serialize from 'node-serialize';

interface Draft {
  title: string;
  paragraphs: string[];
}

const EMPTY_DRAFT = serialize.serialize({ title: 'Untitled', paragraphs: [] });
const app = new Koa();
const router = new Router();

router.post('/drafts/reset', (ctx) => {
  let snapshot = String(ctx.request.body.snapshot ?? '');
  snapshot = EMPTY_DRAFT;
  const draft = serialize.unserialize(snapshot) as Draft;
  ctx.body = { title: draft.title, paragraphs: draft.paragraphs.length };
});

app.use(bodyParser());
app.use(router.routes());
export default app;
