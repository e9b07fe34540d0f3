(function () {
  'use strict';

  function bannerText(kind, text) {
    const prefix = kind === 'error' ? 'Error: ' : '';
    return '<strong>' + prefix + '</strong>' + text;
  }

  function showBanner() {
    const params = new URLSearchParams(window.location.search);
    const notice = params.get('notice');
    if (!notice) {
      return;
    }
    const message = bannerText(params.get('kind'), notice);
    const banner = document.getElementById('banner');
    banner.innerHTML = message;
    banner.hidden = false;
  }

  document.addEventListener('DOMContentLoaded', showBanner);
})();
