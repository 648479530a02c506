/** komodod / Bitcoin Core JSON-RPC error codes (rpc/protocol.h). */
export const RpcCode = {
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  PARSE_ERROR: -32700,
  MISC_ERROR: -1,
  TYPE_ERROR: -3,
  WALLET_ERROR: -4,
  INVALID_ADDRESS_OR_KEY: -5,
  WALLET_INSUFFICIENT_FUNDS: -6,
  OUT_OF_MEMORY: -7,
  INVALID_PARAMETER: -8,
  CLIENT_NOT_CONNECTED: -9,
  CLIENT_IN_INITIAL_DOWNLOAD: -10,
  WALLET_UNLOCK_NEEDED: -13,
  DESERIALIZATION_ERROR: -22,
  VERIFY_ERROR: -25,
  VERIFY_REJECTED: -26,
  VERIFY_ALREADY_IN_CHAIN: -27,
  IN_WARMUP: -28,
  CLIENT_NODE_ALREADY_ADDED: -23,
  CLIENT_NODE_NOT_ADDED: -24,
  CLIENT_INVALID_IP_OR_SUBNET: -30,
} as const;

export type RpcCodeValue = (typeof RpcCode)[keyof typeof RpcCode];

/** An error a method throws to answer the caller with a JSON-RPC error object. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/**
 * The HTTP status komodod (httprpc.cpp JSONErrorReply) pairs with an error code:
 * -32600 → 400, -32601 → 404, everything else → 500.
 */
export function httpStatusFor(code: number): number {
  if (code === RpcCode.INVALID_REQUEST) return 400;
  if (code === RpcCode.METHOD_NOT_FOUND) return 404;
  return 500;
}
