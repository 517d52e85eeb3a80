// RPCs raise a stable snake_case code as the message and JSON details (see the migrations).
export interface RpcFailure {
  code: string;
  details: Record<string, unknown>;
}

export function rpcFailure(error: { message?: string; details?: string | null } | null | undefined): RpcFailure {
  let details: Record<string, unknown> = {};
  try {
    const parsed: unknown = error?.details ? JSON.parse(error.details) : {};
    if (parsed && typeof parsed === 'object') details = parsed as Record<string, unknown>;
  } catch {
    // not JSON: a database error that is not one of ours
  }
  const message = error?.message ?? '';
  return { code: /^[a-z_]+$/.test(message) ? message : 'unknown', details };
}
