"""CSS and the small client-side script of the web UI."""

from __future__ import annotations

CSS = """
.ghqa-overview { margin: 0 0 .8rem; display: grid; gap: 2px; }
.ghqa-bar { display: grid; grid-template-columns: minmax(5em, 12em) 1fr 2.5em; align-items: center; gap: .4rem;
  font-size: .85rem; }
.ghqa-bar-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ghqa-bar-fill { height: .8rem; background: #4f7cac; border-radius: 2px; }
.ghqa-bar-count { text-align: right; color: #666; }
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
/* A place label may carry a file name with no break in it (未署名单位（…，003_25279264fab4da48.txt）). */
#ghqa-evidence td:nth-child(1) { overflow-wrap: anywhere; }
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
.ghqa-ref { cursor: pointer; text-decoration: underline dotted; }
.ghqa-card.ghqa-flash { outline: 2px solid var(--color-accent); transition: outline 0.3s; }
.ghqa-also-open { border: none; background: none; padding: 0; color: var(--color-accent); cursor: pointer;
  text-align: left; word-break: break-all; font-size: 0.85rem; }
#ghqa-preview { position: fixed; z-index: 60; max-width: 360px; padding: 8px 10px; border-radius: 6px;
  background: var(--background-fill-primary); border: 1px solid var(--border-color-primary);
  box-shadow: 0 4px 14px rgba(0,0,0,0.15); font-size: 0.85rem; line-height: 1.6; pointer-events: none; }
#ghqa-preview .ghqa-loc { margin: 2px 0 4px; }
/* The source viewer: a drawer over the right side, so the answer stays in view beside it. */
#ghqa-viewer { position: fixed; z-index: 50; top: 0; right: 0; bottom: 0; width: min(560px, 100vw);
  background: var(--background-fill-primary); border-left: 1px solid var(--border-color-primary);
  box-shadow: -6px 0 18px rgba(0,0,0,0.12); display: flex; flex-direction: column; }
#ghqa-viewer[hidden] { display: none; }
.ghqa-viewer-bar { display: flex; justify-content: space-between; align-items: center; padding: 8px 12px;
  border-bottom: 1px solid var(--border-color-primary); font-weight: 600; }
.ghqa-viewer-bar button { border: 1px solid var(--border-color-primary); border-radius: 5px; padding: 2px 12px;
  background: var(--background-fill-secondary); cursor: pointer; }
.ghqa-viewer-body { overflow-y: auto; padding: 10px 14px 40px; flex: 1; }
.ghqa-source header { margin-bottom: 8px; }
.ghqa-source-body p { margin: 0 0 6px; line-height: 1.75; font-size: 0.93rem; }
.ghqa-source-body p.ghqa-heading { font-weight: 600; }
.ghqa-source-body p.ghqa-focus { background: var(--background-fill-secondary); border-left: 3px solid var(--color-accent);
  padding-left: 6px; }
.ghqa-source-body mark { background: #fff1a8; color: inherit; }
#ghqa-conv-list .wrap { flex-direction: column; }
/* Phone width: columns stack, cards take the full width, each evidence row becomes a card of its own. */
#ghqa-evidence { overflow-x: auto; }
@media (max-width: 640px) {
  #ghqa-header h1 { font-size: 1.1rem; }
  #ghqa-header p { white-space: normal; }
  #ghqa-chat-row { flex-direction: column; }
  #ghqa-chat-row > div { min-width: 0 !important; width: 100%; }
  #ghqa-conversations { order: 3; }
  /* Place · status on one line, the quote below at full width, the source last. */
  #ghqa-evidence .ghqa-table, #ghqa-evidence tbody { display: block; }
  #ghqa-evidence thead { display: none; }
  #ghqa-evidence tr { display: flex; flex-wrap: wrap; align-items: baseline; padding: 8px 2px;
    border-bottom: 1px solid var(--border-color-primary) !important; }
  #ghqa-evidence td { display: block; padding: 1px 0; border: none !important; }
  #ghqa-evidence td:nth-child(1) { font-weight: 600; max-width: 100%; overflow-wrap: anywhere; }
  #ghqa-evidence td:nth-child(2) { color: var(--body-text-color-subdued); }
  #ghqa-evidence td:nth-child(2)::before { content: "\\00a0·\\00a0"; }
  #ghqa-evidence td:nth-child(3), #ghqa-evidence td:nth-child(4) { flex-basis: 100%; }
  #ghqa-evidence td:nth-child(3) { line-height: 1.7; margin-top: 2px; }
  .ghqa-card header { flex-direction: column; gap: 2px; }
  #ghqa-citations, #ghqa-evidence { max-height: none; }
}
"""

# Event delegation on a card list: open the source viewer, copy a passage with its reference, load its neighbouring
# paragraphs. The first list loaded also installs the page-wide parts: [n] previews and the viewer drawer.
CARDS_JS = """
const ghqa = window.ghqa || (window.ghqa = {});
const scriptOf = (node) => (node.closest('[data-script]') || {dataset: {}}).dataset.script || 'original';

ghqa.openSource = async (srv, how) => {
  let viewer = document.getElementById('ghqa-viewer');
  if (!viewer) {
    viewer = document.createElement('aside');
    viewer.id = 'ghqa-viewer'; viewer.hidden = true;
    viewer.innerHTML = '<div class="ghqa-viewer-bar"><span>原文</span>' +
      '<button type="button" class="ghqa-viewer-close">关闭</button></div><div class="ghqa-viewer-body"></div>';
    viewer.querySelector('.ghqa-viewer-close').addEventListener('click', () => { viewer.hidden = true; });
    (document.querySelector('.gradio-container') || document.body).appendChild(viewer);
  }
  const body = viewer.querySelector('.ghqa-viewer-body');
  body.textContent = '正在打开原文…';
  viewer.hidden = false;
  // The server builds the viewer's HTML from escaped document text (ui/render.py source_html).
  body.innerHTML = how.locator ? await srv.source_at(how) : await srv.source(how);
  const focus = body.querySelector('.ghqa-focus');
  if (focus) focus.scrollIntoView({block: 'center'});
};

const openCard = (srv, card) => ghqa.openSource(srv, {
  chunk: Number(card.dataset.chunk), quote: card.dataset.quote, script: scriptOf(card)});

element.addEventListener('click', async (ev) => {
  const open = ev.target.closest('.ghqa-open');
  if (open) { openCard(server, open.closest('.ghqa-card')); return; }
  const also = ev.target.closest('.ghqa-also-open');
  if (also) {
    const card = also.closest('.ghqa-card');
    ghqa.openSource(server, {locator: also.dataset.locator, quote: card.dataset.quote, script: scriptOf(card)});
    return;
  }
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

if (!ghqa.refsInstalled) {
  ghqa.refsInstalled = true;
  const citeCard = (ref) => document.getElementById('ghqa-cite-' + ref.textContent.trim());
  let preview = null;
  document.addEventListener('mouseover', (ev) => {
    const ref = ev.target.closest && ev.target.closest('.ghqa-ref');
    const card = ref && citeCard(ref);
    if (!card) return;
    if (!preview) {
      preview = document.createElement('div'); preview.id = 'ghqa-preview';
      (document.querySelector('.gradio-container') || document.body).appendChild(preview);
    }
    const title = document.createElement('div'); title.className = 'ghqa-title';
    title.textContent = card.querySelector('.ghqa-title').textContent;
    const loc = document.createElement('div'); loc.className = 'ghqa-loc';
    loc.textContent = card.querySelector('.ghqa-loc').textContent;
    const quote = document.createElement('div');
    quote.textContent = card.dataset.quote || card.querySelector('.ghqa-text').textContent.slice(0, 160);
    preview.replaceChildren(title, loc, quote);
    const box = ref.getBoundingClientRect();
    preview.style.left = Math.max(8, Math.min(box.left, window.innerWidth - 372)) + 'px';
    preview.style.top = (box.bottom + 6) + 'px';
    preview.hidden = false;
  });
  document.addEventListener('mouseout', (ev) => {
    if (preview && ev.target.closest && ev.target.closest('.ghqa-ref')) preview.hidden = true;
  });
  document.addEventListener('click', (ev) => {
    const ref = ev.target.closest && ev.target.closest('.ghqa-ref');
    if (!ref) return;
    // The cards sit on the first side tab; bring it forward when the evidence table is showing.
    const tab = [...document.querySelectorAll('#ghqa-side [role=tab]')].find((t) => t.textContent.includes('引用的原文'));
    if (tab && tab.getAttribute('aria-selected') !== 'true') tab.click();
    setTimeout(() => {
      const card = citeCard(ref);
      if (!card) return;
      card.scrollIntoView({block: 'nearest', behavior: 'smooth'});
      card.classList.add('ghqa-flash'); setTimeout(() => card.classList.remove('ghqa-flash'), 1500);
      if (preview) preview.hidden = true;
      openCard(ghqa.server, card);
    }, 60);
  });
}
ghqa.server = ghqa.server || server;
"""
