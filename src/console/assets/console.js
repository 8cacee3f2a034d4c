// The console's few behaviours that need a script; everything works without it but these.
// - Keyboard shortcuts: an element with data-key="x" is clicked (or focused, for inputs) when x is pressed
//   outside a text field; «?» toggles the list of shortcuts.
// - Live lists: an element with data-live="/console/…/events" listens to server-sent events and asks htmx to
//   refresh itself (hx-trigger="refresh") on each one.
document.addEventListener('keydown', (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable]')) {
    if (event.key === 'Escape') target.blur();
    return;
  }
  if (event.key === '?') {
    document.getElementById('shortcuts')?.toggleAttribute('hidden');
    return;
  }
  const el = document.querySelector(`[data-key="${CSS.escape(event.key)}"]`);
  if (!el) return;
  event.preventDefault();
  if (el.matches('input, textarea, select')) el.focus();
  else el.click();
});

function listen(root) {
  for (const el of root.querySelectorAll('[data-live]')) {
    if (el.dataset.liveBound) continue;
    el.dataset.liveBound = '1';
    const source = new EventSource(el.dataset.live);
    source.addEventListener('changed', () => window.htmx?.trigger(el, 'refresh'));
  }
}
document.addEventListener('DOMContentLoaded', () => listen(document));
document.addEventListener('htmx:load', (e) => listen(e.target));

// Row lists (Разбор): rows marked data-row take j/k (or ↓/↑) to move between them; a key of the focused
// row (data-row-key="1", "o" …) clicks that row's own button or link.
let pendingFocus = null;
function rowsOf() {
  return [...document.querySelectorAll('[data-row]')];
}
document.addEventListener('keydown', (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable]')) return;
  const row = document.activeElement?.closest?.('[data-row]');
  const arrows = event.key === 'ArrowDown' || event.key === 'ArrowUp';
  if (event.key === 'j' || event.key === 'k' || (arrows && row)) {
    const rows = rowsOf();
    if (rows.length === 0) return;
    const at = row ? rows.indexOf(row) : -1;
    const down = event.key === 'j' || event.key === 'ArrowDown';
    const next = rows[Math.min(rows.length - 1, Math.max(0, at < 0 ? 0 : at + (down ? 1 : -1)))];
    event.preventDefault();
    next.focus();
    next.scrollIntoView({ block: 'nearest' });
    return;
  }
  const own = row?.querySelector(`[data-row-key="${CSS.escape(event.key)}"]`);
  if (!own) return;
  event.preventDefault();
  // The row is about to be replaced: the next one takes the focus, so the keys go on down the list.
  const rows = rowsOf();
  pendingFocus = rows[rows.indexOf(row) + 1]?.id ?? null;
  own.click();
});
// A refresh of a live list, or a row's answer, replaces rows: put the focus back where the keys left it.
document.addEventListener('htmx:beforeSwap', (e) => {
  // Inside [data-swap-errors], a form's refusal (400 field, 409 changed meanwhile, 422 nothing to change)
  // is a fragment to show, not an error to drop (htmx's default for 4xx).
  if ([400, 409, 422].includes(e.detail.xhr.status) && e.detail.elt?.closest?.('[data-swap-errors]')) {
    e.detail.shouldSwap = true;
    e.detail.isError = false;
    // The refused row comes back with its message: it keeps the focus.
    if (e.detail.target.id) pendingFocus = e.detail.target.id;
  }
  const target = e.detail.target;
  const active = document.activeElement;
  // A live list does not refresh under a choice being made: it refreshes once the field is left.
  if (target.hasAttribute('data-live') && active?.matches?.('input, select, textarea') && target.contains(active)) {
    e.detail.shouldSwap = false;
    if (target.dataset.refreshPending) return;
    target.dataset.refreshPending = '1';
    const later = () => {
      delete target.dataset.refreshPending;
      window.htmx?.trigger(target, 'refresh');
    };
    active.addEventListener('blur', () => setTimeout(later, 800), { once: true });
    return;
  }
  const row = active?.closest?.('[data-row]');
  if (row?.id && target.contains(row) && !pendingFocus) pendingFocus = row.id;
});
document.addEventListener('htmx:afterSettle', () => {
  if (!pendingFocus) return;
  const el = document.getElementById(pendingFocus);
  pendingFocus = null;
  if (el && (document.activeElement === document.body || !document.activeElement?.closest?.('[data-row]'))) el.focus();
});
