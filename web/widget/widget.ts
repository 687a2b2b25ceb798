/**
 * The embeddable widget: `<script src="https://…/widget.js" async></script>` on any page of
 * the city's site adds a floating "Hỏi đáp thủ tục" button that opens the citizen chat in an
 * iframe served from our origin. A classic script (no imports, no exports) so it loads with a
 * plain script tag; everything lives in a shadow root so the host page's styles cannot break
 * it and ours cannot leak. Styles are set through the CSSOM, which the host's CSP allows even
 * when it forbids inline <style>.
 *
 * The chat's origin: PUBLIC_BASE_URL, written into this file when the server sends it; without
 * one, the origin this script was loaded from. `data-base-url` on the script tag overrides both.
 */
(() => {
  const injected = '__CCAI_PUBLIC_BASE_URL__';
  const script = document.currentScript as HTMLScriptElement | null;
  const fromTag = script?.dataset['baseUrl'];
  const fromScript = script?.src ? new URL(script.src).origin : location.origin;
  const base = (fromTag || (injected.startsWith('__CCAI') ? '' : injected) || fromScript).replace(/\/+$/, '');
  const label = script?.dataset['label'] || 'Hỏi đáp thủ tục';

  if (document.querySelector('[data-ccai-widget]')) return;

  const host = document.createElement('div');
  host.setAttribute('data-ccai-widget', '');
  const root = host.attachShadow({ mode: 'open' });

  const style = (el: HTMLElement, css: Partial<Record<string, string>>) => {
    for (const [k, v] of Object.entries(css)) if (v !== undefined) el.style.setProperty(k, v);
  };

  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'ccai-panel');
  style(button, {
    position: 'fixed', right: '16px', bottom: '16px', 'z-index': '2147483000',
    'min-height': '48px', padding: '0 18px', 'border-radius': '24px', border: '2px solid #ffffff',
    background: '#a3161b', color: '#ffffff', 'font-size': '16px', 'font-weight': '600',
    'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    'box-shadow': '0 4px 14px rgba(0,0,0,0.25)', cursor: 'pointer',
  });

  const panel = document.createElement('div');
  panel.id = 'ccai-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', label);
  panel.hidden = true;
  style(panel, {
    position: 'fixed', right: '16px', bottom: '76px', 'z-index': '2147483000',
    width: 'min(400px, calc(100vw - 16px))', height: 'min(640px, calc(100vh - 96px))',
    background: '#ffffff', 'border-radius': '12px', overflow: 'hidden',
    'box-shadow': '0 8px 30px rgba(0,0,0,0.3)', display: 'flex', 'flex-direction': 'column',
  });

  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Đóng';
  close.setAttribute('aria-label', 'Đóng hộp hỏi đáp');
  style(close, {
    'align-self': 'flex-end', margin: '4px', 'min-height': '36px', padding: '0 12px',
    border: '1px solid #c9d0db', 'border-radius': '8px', background: '#ffffff', color: '#1a1f29', cursor: 'pointer',
  });

  let frame: HTMLIFrameElement | null = null;
  const open = () => {
    if (!frame) {
      // Loaded on first open only: a page view does not start a chat session.
      frame = document.createElement('iframe');
      frame.src = `${base}/?embed=1`;
      frame.title = 'Hỏi đáp thủ tục hành chính';
      frame.setAttribute('allow', 'clipboard-write');
      style(frame, { border: '0', width: '100%', flex: '1' });
      panel.append(frame);
    }
    panel.hidden = false;
    style(panel, { display: 'flex' });
    button.setAttribute('aria-expanded', 'true');
    frame.focus();
  };
  const hide = () => {
    panel.hidden = true;
    style(panel, { display: 'none' });
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  };
  style(panel, { display: 'none' });

  button.addEventListener('click', () => (panel.hidden ? open() : hide()));
  close.addEventListener('click', hide);
  root.addEventListener('keydown', (ev) => {
    if ((ev as KeyboardEvent).key === 'Escape' && !panel.hidden) hide();
  });

  panel.append(close);
  root.append(panel, button);
  const attach = () => document.body.append(host);
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });
})();
