// Node 20 has no global WebSocket, and supabase-js refuses to create a client without one, so
// every client created in Node is given the `ws` implementation. Server-only in practice: the
// universal layout load imports this module dynamically, on the server only.
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';

// `ws` declares an extra `new (address: null)` overload that TypeScript matches first.
export const nodeWebSocketTransport = WebSocket as unknown as WebSocketLikeConstructor;
