const express = require('express');
const fs = require('fs');
const path = require('path');

const router = express.Router();
const ATTACHMENT_ROOT = path.join(__dirname, '..', 'storage', 'attachments');

router.get('/tickets/:ticketId/attachments', (req, res) => {
  const name = req.query.name;
  if (typeof name !== 'string' || name.length === 0) {
    return res.status(400).json({ error: 'name is required' });
  }
  const stream = fs.createReadStream(path.join(ATTACHMENT_ROOT, req.params.ticketId, name));
  stream.on('error', () => res.status(404).end());
  res.attachment(path.basename(name));
  return stream.pipe(res);
});

module.exports = router;
