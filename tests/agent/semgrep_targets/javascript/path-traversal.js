// Test target for path-traversal.yaml: Express handlers reading and sending files.
const express = require("express");
const fs = require("fs");
const path = require("path");

const app = express();
const UPLOADS = path.join(__dirname, "uploads");

app.get("/files/:name", (req, res) => {
  // ruleid: bastion.javascript.path-traversal
  const text = fs.readFileSync(path.join(UPLOADS, req.params.name), "utf8");
  // ok: bastion.javascript.path-traversal
  const same = fs.readFileSync(path.join(UPLOADS, path.basename(req.params.name)), "utf8");
  res.send(text + same);
});

app.get("/download", (req, res) => {
  const file = req.query.file;
  // ruleid: bastion.javascript.path-traversal
  res.sendFile(path.join(__dirname, "public", file));
  // ok: bastion.javascript.path-traversal
  res.sendFile(file, { root: UPLOADS });
  // ruleid: bastion.javascript.path-traversal
  res.download(`${UPLOADS}/${file}`);
});

app.delete("/files", async (req, res) => {
  const target = path.resolve(UPLOADS, req.body.path);
  // ruleid: bastion.javascript.path-traversal
  await fs.promises.unlink(target);
  res.end();
});

app.delete("/files/checked", async (req, res) => {
  const target = path.resolve(UPLOADS, req.body.path);
  if (!target.startsWith(UPLOADS + path.sep)) {
    return res.status(403).end();
  }
  // ok: bastion.javascript.path-traversal
  await fs.promises.unlink(target);
  res.end();
});

app.post("/notes", (req, res) => {
  const name = "notes.txt";
  // ok: bastion.javascript.path-traversal
  fs.writeFile(path.join(UPLOADS, name), req.body.text, () => res.end());
  // ruleid: bastion.javascript.path-traversal
  fs.createReadStream(req.cookies.lastFile).pipe(res);
});

app.get("/docs", (req, res) => {
  const relative = path.normalize(req.query.page).replace(/^(\.\.(\/|\\|$))+/, "");
  // ok: bastion.javascript.path-traversal
  fs.readFile(path.join(__dirname, "docs", relative), "utf8", (error, text) => res.send(text));
});

// A helper of this file that keeps the base name and checks the resolved path's directory.
const UPLOAD_ROOT = path.resolve("./uploads");
function resolveUpload(name) {
  const candidate = path.resolve(UPLOAD_ROOT, path.basename(name));
  if (!candidate.startsWith(UPLOAD_ROOT + path.sep)) {
    return null;
  }
  return candidate;
}
app.get("/uploads/:fileName", (req, res) => {
  const safePath = resolveUpload(req.params.fileName);
  if (safePath === null) {
    return res.status(400).send("invalid file name");
  }
  // ok: bastion.javascript.path-traversal
  res.sendFile(safePath);
});
