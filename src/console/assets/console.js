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
