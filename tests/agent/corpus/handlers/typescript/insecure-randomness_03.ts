import Koa from 'koa';
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';

const app = new Koa();
const router = new Router();
const pendingPins = new Map<string, { pin: string; expires: number }>();

class PinIssuer {
  issue(userId: string): void {
    const pin = String(Math.floor(100000 + Math.random() * 900000));
    pendingPins.set(userId, { pin, expires: Date.now() + 5 * 60 * 1000 });
  }
}

const issuer = new PinIssuer();

router.post('/2fa/challenge', (ctx) => {
  issuer.issue(String(ctx.request.body.userId));
  ctx.status = 202;
});

app.use(bodyParser());
app.use(router.routes());
export default app;
