import Koa from 'koa';
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import serialize from 'node-serialize';

interface Draft {
  title: string;
  paragraphs: string[];
}

class DraftStore {
  restore(text: string): Draft {
    return serialize.unserialize(text) as Draft;
  }
}

const app = new Koa();
const router = new Router();
const store = new DraftStore();

router.post('/drafts/restore', (ctx) => {
  const snapshot = String(ctx.request.body.snapshot ?? '');
  const draft = store.restore(snapshot);
  ctx.body = { paragraphs: draft.paragraphs.length };
});

app.use(bodyParser());
app.use(router.routes());
export default app;
