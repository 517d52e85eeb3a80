// Tells the user, on every page, when the browser has lost its network connection, and that
// nothing they do is saved until it is back. Nothing is queued: forms fail visibly while
// offline. When the connection returns, the page's data is loaded again so nothing stays stale.
// Drawn from the client hook (no component of its own), so it covers every layout.
import { invalidateAll } from '$app/navigation';
import { m } from '$lib/paraglide/messages';

export function startConnectionBanner(): () => void {
  const banner = document.createElement('div');
  banner.setAttribute('role', 'status');
  banner.setAttribute('aria-live', 'assertive');
  banner.dataset.testid = 'connection-banner';
  Object.assign(banner.style, {
    position: 'fixed',
    insetInline: '0',
    bottom: '0',
    zIndex: '1000',
    padding: '12px 16px',
    background: 'var(--fi-color-alert-base)',
    color: 'var(--fi-color-white-base)',
    fontWeight: '600',
    textAlign: 'center',
    display: 'none'
  });

  const show = () => {
    banner.textContent = m.security_offline_banner();
    banner.style.display = 'block';
    if (!banner.isConnected) document.body.append(banner);
  };
  const hide = () => {
    banner.style.display = 'none';
    banner.textContent = '';
    void invalidateAll();
  };

  window.addEventListener('offline', show);
  window.addEventListener('online', hide);
  if (!navigator.onLine) show();
  return () => {
    window.removeEventListener('offline', show);
    window.removeEventListener('online', hide);
    banner.remove();
  };
}
