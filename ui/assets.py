"""CSS and the small client-side script of the web UI."""

from __future__ import annotations

CSS = """
.gradio-container { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei",
  "PingFang SC", sans-serif !important; }
#ghqa-header h1 { font-size: 1.35rem; margin: 0; white-space: nowrap; }
#ghqa-header p { margin: 0; color: var(--body-text-color-subdued); font-size: 0.88rem; white-space: nowrap; }
.ghqa-notice { padding: 6px 10px; border-radius: 6px; font-size: 0.92rem; }
.ghqa-info { background: var(--background-fill-secondary); }
.ghqa-warn { background: #fff4e0; color: #7a4b00; }
.ghqa-error { background: #fdecea; color: #8a1c1c; }
.ghqa-empty { color: var(--body-text-color-subdued); padding: 12px 4px; }
.ghqa-count { color: var(--body-text-color-subdued); font-size: 0.9rem; margin: 2px 0 6px; }
.ghqa-cards { display: flex; flex-direction: column; gap: 10px; }
.ghqa-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px;
  background: var(--background-fill-primary); }
.ghqa-card header { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.ghqa-n { font-weight: 700; color: var(--color-accent); }
.ghqa-title { font-weight: 600; }
.ghqa-meta { color: var(--body-text-color-subdued); font-size: 0.88rem; }
.ghqa-loc { color: var(--body-text-color-subdued); font-size: 0.82rem; margin: 2px 0 6px; word-break: break-all; }
.ghqa-text { line-height: 1.75; font-size: 0.95rem; }
.ghqa-text mark, .ghqa-context mark { background: #fff1a8; color: inherit; padding: 0 1px; }
.ghqa-actions { display: flex; gap: 8px; margin-top: 6px; }
.ghqa-actions button { font-size: 0.82rem; padding: 2px 10px; border-radius: 5px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); cursor: pointer; }
.ghqa-actions button:hover { border-color: var(--color-accent); }
.ghqa-also { font-size: 0.85rem; color: var(--body-text-color-subdued); margin-top: 4px; }
.ghqa-also ul { margin: 2px 0 0 1.2em; }
.ghqa-context { margin-top: 8px; border-left: 3px solid var(--border-color-primary); padding-left: 8px;
  font-size: 0.9rem; line-height: 1.7; }
.ghqa-context p { margin: 0 0 4px; color: var(--body-text-color-subdued); }
.ghqa-context p.ghqa-cited { color: var(--body-text-color); background: var(--background-fill-secondary); }
.ghqa-context p.ghqa-heading { font-weight: 600; }
.ghqa-pn { display: inline-block; min-width: 2.6em; color: var(--body-text-color-subdued); font-size: 0.8rem; }
.ghqa-ref-box { width: 100%; margin-top: 6px; font-size: 0.85rem; }
.ghqa-sup { color: var(--color-accent); font-weight: 600; }
.ghqa-table { width: 100%; border-collapse: collapse; font-size: 0.9rem; border: none !important; }
.ghqa-table th, .ghqa-table td { border: none !important; padding: 5px 8px;
  border-bottom: 1px solid var(--border-color-primary) !important; text-align: left; vertical-align: top; }
.ghqa-table thead, .ghqa-table tbody, .ghqa-table tr { border: none !important; }
#ghqa-evidence .ghqa-table { table-layout: fixed; }
#ghqa-evidence th:nth-child(1) { width: 17%; }
#ghqa-evidence th:nth-child(2) { width: 5.5em; }
#ghqa-evidence th:nth-child(3) { width: 48%; }
#ghqa-evidence td:nth-child(4) { font-size: 0.8rem; color: var(--body-text-color-subdued); word-break: break-all; }
#ghqa-documents td:first-child { word-break: break-all; }
#ghqa-documents td:nth-child(n+3), #ghqa-evidence td:nth-child(2) { white-space: nowrap; }
.ghqa-table th { background: var(--background-fill-secondary); white-space: nowrap; }
/* Citations scroll beside the chat so the question and answer stay in view. */
#ghqa-evidence { max-height: 520px; overflow-y: auto; }
.ghqa-note { margin-top: 6px; font-size: 0.85rem; color: #7a4b00; }
#ghqa-citations { max-height: 560px; overflow-y: auto; padding-right: 4px; }
"""

# Event delegation on a card list: copy a passage with its reference, or load its neighbouring paragraphs.
CARDS_JS = """
element.addEventListener('click', async (ev) => {
  const copy = ev.target.closest('.ghqa-copy');
  if (copy) {
    const text = copy.dataset.ref;
    let ok = false;
    try { await navigator.clipboard.writeText(text); ok = true; } catch (e) { ok = false; }
    const card = copy.closest('.ghqa-card');
    if (!ok) {
      // No clipboard access (plain http on a LAN address): show the text ready to copy by hand.
      const slot = card.querySelector('.ghqa-ctx-slot');
      const box = document.createElement('textarea');
      box.className = 'ghqa-ref-box'; box.readOnly = true; box.rows = 4; box.value = text;
      slot.replaceChildren(box); box.select();
    }
    copy.textContent = ok ? '已复制' : '请手动复制';
    setTimeout(() => { copy.textContent = '复制（含出处）'; }, 1800);
    return;
  }
  const ctx = ev.target.closest('.ghqa-ctx');
  if (ctx) {
    const slot = ctx.closest('.ghqa-card').querySelector('.ghqa-ctx-slot');
    if (slot.dataset.open === '1') {
      slot.replaceChildren(); slot.dataset.open = ''; ctx.textContent = '上下文'; return;
    }
    ctx.disabled = true;
    try { slot.innerHTML = await server.context(Number(ctx.dataset.chunk)); }
    finally { ctx.disabled = false; }
    slot.dataset.open = '1'; ctx.textContent = '收起上下文';
  }
});
"""
