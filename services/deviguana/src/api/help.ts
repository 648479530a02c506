// `help` (dPoW iguana_rpc.c help, iguana_json.c helpjson): one item per API method with its URL and curl
// forms. deviguana lists the methods it implements.

type FieldType = 'string' | 'int' | 'float' | 'hash' | 'array' | 'object' | 'u64bits';

const API: ReadonlyArray<
  readonly [agent: string, method: string, fields: ReadonlyArray<[string, FieldType]>]
> = [
  ['SuperNET', 'help', []],
  ['SuperNET', 'myipaddr', [['ipaddr', 'string']]],
  ['SuperNET', 'activehandle', []],
  ['SuperNET', 'stop', []],
  ['iguana', 'addnotary', [['ipaddr', 'string']]],
  ['iguana', 'addcoin', [['newcoin', 'string']]],
  [
    'iguana',
    'dpow',
    [
      ['symbol', 'string'],
      ['dest', 'string'],
      ['pubkey', 'string'],
      ['freq', 'int'],
    ],
  ],
  [
    'iguana',
    'splitfunds',
    [
      ['satoshis', 'u64bits'],
      ['duplicates', 'int'],
      ['sendflag', 'int'],
    ],
  ],
  ['iguana', 'getconnectioncount', []],
  [
    'bitcoinrpc',
    'walletpassphrase',
    [
      ['password', 'string'],
      ['permanentfile', 'string'],
      ['timeout', 'int'],
    ],
  ],
  [
    'dpow',
    'notarizations',
    [
      ['symbol', 'string'],
      ['height', 'int'],
      ['numblocks', 'int'],
    ],
  ],
  ['dpow', 'notarychains', []],
  ['dpow', 'active', []],
  ['dpow', 'ipaddrs', []],
  ['dpow', 'devstatus', []],
];

export function helpItems(port: number): unknown[] {
  return API.map(([agent, method, fields]) => {
    const query = fields.map(([name, type]) => `${name}={${type}}`).join('&');
    const body: Record<string, string> = { agent, method };
    for (const [name, type] of fields) body[name] = `{${type}}`;
    const data = JSON.stringify(body).replace(/"/g, '\\"');
    return {
      agent,
      method,
      url: `http://127.0.0.1:${port}/api/${agent}/${method}${query ? `?${query}` : ''}`,
      curl: `curl --url "http://127.0.0.1:${port}" --data "${data}"`,
      fields: fields.map(([name, type]) => ({ [name]: type })),
    };
  });
}
