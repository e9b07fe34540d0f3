const express = require('express');
const fs = require('fs');
const path = require('path');

const router = express.Router();
const ATTACHMENT_ROOT = path.resolve(__dirname, '..', 'storage', 'attachments');

router.get('/tickets/:ticketId/attachments', (req, res) => {
  const { name } = req.query;
  if (typeof name !== 'string' || !/^\d+$/.test(req.params.ticketId)) {
    return res.status(400).json({ error: 'bad request' });
  }
  const ticketDir = path.join(ATTACHMENT_ROOT, req.params.ticketId);
  const filePath = path.resolve(ticketDir, name);
  if (!filePath.startsWith(ticketDir + path.sep)) {
    return res.status(404).end();
  }
  const stream = fs.createReadStream(filePath);
  stream.on('error', () => res.status(404).end());
  res.attachment(path.basename(filePath));
  return stream.pipe(res);
});

module.exports = router;
