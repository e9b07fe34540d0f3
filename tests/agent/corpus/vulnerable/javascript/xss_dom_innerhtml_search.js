import { searchDocs } from './api.js';

const form = document.querySelector('#search-form');
const input = document.querySelector('#search-input');
const results = document.querySelector('#search-results');

function renderResults(query, hits) {
  results.replaceChildren();
  if (hits.length === 0) {
    results.innerHTML = '<p class="empty">No documents match <b>' + query + '</b>.</p>';
    return;
  }
  for (const hit of hits) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = `/docs/${encodeURIComponent(hit.slug)}`;
    link.textContent = hit.title;
    item.appendChild(link);
    results.appendChild(item);
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = input.value.trim();
  history.replaceState(null, '', `?q=${encodeURIComponent(query)}`);
  renderResults(query, await searchDocs(query));
});

const initial = new URLSearchParams(window.location.search).get('q');
if (initial) {
  input.value = initial;
  searchDocs(initial).then((hits) => renderResults(initial, hits));
}
