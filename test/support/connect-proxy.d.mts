// Types for connect-proxy.mjs, for the TypeScript tests.
export interface ConnectProxy {
  url: string;
  /** host:port of every tunnel asked for, in order. */
  tunnels: string[];
  close(): Promise<void>;
}
export function startConnectProxy(address: string): Promise<ConnectProxy>;
