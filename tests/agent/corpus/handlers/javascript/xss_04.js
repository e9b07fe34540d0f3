(function () {
  'use strict';

  function currentFilter() {
    const params = new URLSearchParams(window.location.search);
    return params.get('filter') || 'all';
  }

  function renderHeading() {
    const heading = document.querySelector('#list-heading');
    const filter = currentFilter();
    heading.textContent = 'Showing: ' + filter;
    const counter = document.querySelector('#list-count');
    counter.innerHTML = '<em>' + document.querySelectorAll('.row').length + '</em> rows';
  }

  function init() {
    renderHeading();
    window.addEventListener('popstate', renderHeading);
  }

  document.addEventListener('DOMContentLoaded', init);
})();
