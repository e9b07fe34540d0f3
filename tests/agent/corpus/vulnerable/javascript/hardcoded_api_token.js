const axios = require('axios');

const STATUS_API = 'https://api.statuspage.example.com/v1';
const STATUS_API_TOKEN = 'cf8e9a74c47c2c23b75c3429b5e949468215b65bd56b63e696825fa6ce9f7ba8';

const client = axios.create({
  baseURL: STATUS_API,
  timeout: 10000,
  headers: { Authorization: `Bearer ${STATUS_API_TOKEN}` },
});

async function openIncident(title, components) {
  const { data } = await client.post('/incidents', {
    name: title,
    status: 'investigating',
    component_ids: components,
  });
  return data.id;
}

async function resolveIncident(incidentId) {
  await client.patch(`/incidents/${incidentId}`, { status: 'resolved' });
}

module.exports = { openIncident, resolveIncident };
