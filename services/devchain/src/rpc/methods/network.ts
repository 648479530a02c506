import type { NodeContext } from '../../node/context.js';
import {
  BITCOIN_CLIENT_VERSION,
  BITCOIN_PROTOCOL_VERSION,
  komodoVersionInfo,
  subversion,
} from '../../node/versions.js';
import { RpcCode, RpcError } from '../errors.js';
import { Amount } from '../json.js';
import type { RpcMethod } from '../method.js';
import { RELAY_FEE } from './control.js';
import { method } from './define.js';

const ADDNODE_USAGE =
  'addnode "node" "add|remove|onetry"\n\nAttempts add or remove a node from the addnode list.';

export function networkMethods(flavour: 'komodo' | 'bitcoin'): RpcMethod<NodeContext>[] {
  return [
    method(
      'getconnectioncount',
      'network',
      [0, 0],
      'getconnectioncount\n\nReturns the number of connections to other nodes.',
      (ctx) => ctx.peers.connectionCount,
    ),
    method(
      'getnetworkinfo',
      'network',
      [0, 0],
      'getnetworkinfo\n\nReturns an object containing various state info regarding P2P networking.',
      (ctx) => {
        const v = flavour === 'komodo' ? komodoVersionInfo(ctx.cfg) : undefined;
        const base = {
          version: v ? v.client : BITCOIN_CLIENT_VERSION,
          subversion: v ? v.subversion : subversion(flavour),
          protocolversion: v ? v.protocol : BITCOIN_PROTOCOL_VERSION,
          localservices: '0000000000000001',
        };
        const networks = ['ipv4', 'ipv6', 'onion'].map((name) => ({
          name,
          limited: name === 'onion',
          reachable: name !== 'onion',
          proxy: '',
          proxy_randomize_credentials: false,
        }));
        const localaddresses: unknown[] = [];
        if (flavour === 'komodo') {
          return {
            ...base,
            timeoffset: 0,
            connections: ctx.peers.connectionCount,
            networks,
            relayfee: new Amount(RELAY_FEE),
            localaddresses,
            warnings: '',
          };
        }
        const inbound = ctx.peers.peers().filter((peer) => peer.inbound).length;
        return {
          ...base,
          localservicesnames: ['NETWORK'],
          localrelay: true,
          timeoffset: 0,
          networkactive: true,
          connections: ctx.peers.connectionCount,
          connections_in: inbound,
          connections_out: ctx.peers.connectionCount - inbound,
          networks,
          relayfee: new Amount(RELAY_FEE),
          incrementalfee: new Amount(RELAY_FEE),
          localaddresses,
          warnings: '',
        };
      },
    ),
    method(
      'getpeerinfo',
      'network',
      [0, 0],
      'getpeerinfo\n\nReturns data about each connected network node as a json array of objects.',
      (ctx) =>
        ctx.peers.peers().map((peer) => ({
          id: peer.id,
          addr: peer.addr,
          services: '0000000000000001',
          lastsend: peer.lastSend,
          lastrecv: peer.lastRecv,
          bytessent: peer.bytesSent,
          bytesrecv: peer.bytesRecv,
          conntime: peer.connTime,
          timeoffset: 0,
          ...(peer.pingTime !== undefined ? { pingtime: peer.pingTime } : {}),
          version: peer.version,
          subver: peer.subver,
          inbound: peer.inbound,
          startingheight: peer.startingHeight,
          banscore: 0,
          synced_headers: peer.syncedHeight,
          synced_blocks: peer.syncedHeight,
          inflight: [],
          whitelisted: false,
        })),
    ),
    method('addnode', 'network', [2, 2], ADDNODE_USAGE, (ctx, p) => {
      const node = p.str(0);
      const command = p.str(1);
      if (command !== 'add' && command !== 'remove' && command !== 'onetry') {
        throw new RpcError(RpcCode.MISC_ERROR, ADDNODE_USAGE);
      }
      ctx.peers.addNode(node, command);
      return null;
    }),
  ];
}
