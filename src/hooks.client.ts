import type { ClientInit } from '@sveltejs/kit';
import { startConnectionBanner } from '$lib/security/connection-banner';
import { startIdleTimer } from '$lib/security/idle-timer';

export const init: ClientInit = () => {
  startIdleTimer();
  startConnectionBanner();
};
