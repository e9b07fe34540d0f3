const express = require('express');
const { listAlerts } = require('./alerts');

const router = express.Router();

function buildPredicate(expression) {
  if (!expression) {
    return () => true;
  }
  return new Function('alert', `return (${expression});`);
}

router.get('/alerts', async (req, res) => {
  const predicate = buildPredicate(req.query.where);
  const alerts = await listAlerts({ limit: 500 });
  const matching = alerts.filter((alert) => {
    try {
      return Boolean(predicate(alert));
    } catch (err) {
      return false;
    }
  });
  res.json({ count: matching.length, alerts: matching });
});

module.exports = router;
