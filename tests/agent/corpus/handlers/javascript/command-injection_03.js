'use strict';
const Koa = require('koa');
const Router = require('@koa/router');
const { execSync } = require('child_process');

const app = new Koa();
const router = new Router();
const BACKUP_DIR = process.env.BACKUP_DIR || '/var/backups';

class ArchiveLister {
  constructor(directory) {
    this.directory = directory;
  }

  commandFor(name) {
    return 'tar -tzf ' + this.directory + '/' + name;
  }
}

router.get('/backups/:name/contents', (ctx) => {
  const archiveName = ctx.params.name;
  const command = new ArchiveLister(BACKUP_DIR).commandFor(archiveName);
  const listing = execSync(command, { timeout: 15000 }).toString();
  ctx.body = { files: listing.split('\n') };
});

app.use(router.routes());
module.exports = app;
