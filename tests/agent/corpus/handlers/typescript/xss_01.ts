interface SearchState {
  term: string;
  page: number;
}

function readState(): SearchState {
  const params = new URLSearchParams(window.location.search);
  return {
    term: params.get('q') ?? '',
    page: Number(params.get('page') ?? '1'),
  };
}

function renderHeading(state: SearchState): void {
  const resultsHeading = document.getElementById('results-heading') as HTMLElement;
  const heading = `Results for <b>${state.term}</b> (page ${state.page})`;
  resultsHeading.innerHTML = heading;
}

document.addEventListener('DOMContentLoaded', () => {
  renderHeading(readState());
});

export {};
