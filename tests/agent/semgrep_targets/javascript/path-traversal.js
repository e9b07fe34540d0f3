// Test target for path-traversal.yaml.
const express = require("express");
const fs = require("fs");
const path = require("path");

const app = express();
const UPLOAD_DIR = path.resolve(__dirname, "uploads");

app.get("/download", (req, res) => {
  // ruleid: bastion.javascript.path-traversal
  res.sendFile(path.join(UPLOAD_DIR, req.query.file));
});

app.get("/read/:name", (req, res) => {
  const file = UPLOAD_DIR + "/" + req.params.name;
  // ruleid: bastion.javascript.path-traversal
  fs.readFile(file, "utf8", (err, data) => res.send(data));
});

app.delete("/files", async (req, res) => {
  // ruleid: bastion.javascript.path-traversal
  await fs.promises.unlink(path.join(UPLOAD_DIR, req.body.name));
  res.status(204).end();
});

app.get("/safe/download", (req, res) => {
  const filePath = path.resolve(UPLOAD_DIR, req.query.file);
  if (!filePath.startsWith(UPLOAD_DIR + path.sep)) {
    return res.status(403).end();
  }
  // ok: bastion.javascript.path-traversal
  return res.sendFile(filePath);
});

app.get("/safe/root", (req, res) => {
  // ok: bastion.javascript.path-traversal
  res.sendFile(req.query.file, { root: UPLOAD_DIR });
});

app.get("/safe/basename", (req, res) => {
  const name = path.basename(req.query.file);
  // ok: bastion.javascript.path-traversal
  fs.createReadStream(path.join(UPLOAD_DIR, name)).pipe(res);
});

app.get("/safe/pattern/:name", (req, res) => {
  const name = req.params.name;
  if (!/^[\w-]+\.pdf$/.test(name)) {
    return res.status(400).end();
  }
  // ok: bastion.javascript.path-traversal
  return res.download(path.join(UPLOAD_DIR, name));
});

app.get("/motd", (req, res) => {
  // ok: bastion.javascript.path-traversal
  res.send(fs.readFileSync(path.join(__dirname, "motd.txt"), "utf8"));
});
