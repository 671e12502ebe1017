// The HTML report's filters: by status, by service and by text, over the domain table and the domain sections.
// The form is hidden until its script runs, so without JavaScript the page shows every domain and no control
// that does nothing. The script is inline and allowed by its hash alone (the page's Content-Security-Policy), so
// the page can run no other script and fetch nothing, whatever a partner managed to put in a name.

import { createHash } from 'node:crypto';

/** Runs in the browser: each table row carries data-status (its worst), data-sip / data-xmpp and data-section. */
const SCRIPT = `(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll('#domains tbody tr'));
  var count = document.getElementById('filter-count');
  var problem = { fail: true, error: true, warn: true };
  function wanted(status, choice) {
    if (status === undefined) return false;
    if (choice === 'all') return true;
    if (choice === 'problems') return problem[status] === true;
    if (choice === 'healthy') return problem[status] !== true;
    return status === choice;
  }
  function apply() {
    var status = form.elements.status.value;
    var service = form.elements.service.value;
    var text = form.elements.text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var judged = service === 'all' ? row.getAttribute('data-status') : row.getAttribute('data-' + service);
      var words = (row.textContent + ' ' + (row.getAttribute('data-checks') || '')).toLowerCase();
      var show = wanted(judged === null ? undefined : judged, status) && (text === '' || words.indexOf(text) !== -1);
      row.hidden = !show;
      var section = document.getElementById(row.getAttribute('data-section'));
      if (section) section.hidden = !show;
      if (show) shown += 1;
    });
    count.textContent = shown + ' of ' + rows.length + ' domains shown';
  }
  form.hidden = false;
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  apply();
})();`;

const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;

/** Nothing from anywhere, no script but the filters', styles inline, images only as data: URLs. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; script-src '${SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;

export const FILTER_SCRIPT = `<script>${SCRIPT}</script>`;

/** The form above the domain table; `hidden` until the script shows it. */
export function filterForm(): string {
  const options = (values: [string, string][]) => values.map(([value, label]) => `<option value="${value}">${label}</option>`).join('');
  return `<form id="filters" class="filters" hidden role="search" aria-label="Filter the domains">
<label>Status <select name="status">${options([
    ['all', 'All'],
    ['problems', 'With problems'],
    ['fail', 'FAIL'],
    ['error', 'ERROR'],
    ['warn', 'WARN'],
    ['healthy', 'Healthy'],
  ])}</select></label>
<label>Service <select name="service">${options([
    ['all', 'All'],
    ['sip', 'SIP'],
    ['xmpp', 'XMPP'],
  ])}</select></label>
<label class="text">Text <input type="search" name="text" placeholder="domain, check or fix" autocomplete="off"></label>
<output id="filter-count" aria-live="polite"></output>
</form>`;
}
