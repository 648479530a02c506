import type { AssetchainParams } from './chain-params.js';

// Published chain ports and magics to test the derivation against. Each case names the file the expected
// values come from (repository:path@commit) and where the chain's parameters come from. The coin files are
// the Iguana `addcoin` scripts dPoW ships (iguana/coins/*_7776); komodod writes the same NAME_7776 file
// itself (komodo_args()), so their netmagic/p2p/rpc are komodod's own output.

export interface PublishedChainCase {
  readonly label: string;
  readonly params: AssetchainParams;
  readonly paramsSource: string;
  /** Expected netmagic (LE hex) and where it is published. */
  readonly netmagic: string | undefined;
  readonly p2p: number;
  readonly rpc: number;
  /** Whether komodod builds the extra-parameter buffer (16000 + magic % 49500 ports). */
  readonly extraParams: boolean;
  readonly source: string;
  /**
   * Some 2017-2018 SuperNET coin files carry a netmagic that does not belong to their (correct) port:
   * no magic gives both. Kept to test the port formula; the stale value is asserted to differ.
   */
  readonly staleNetmagic?: string;
}

const S8_JSON = 'KomodoPlatform/dPoW:iguana/assetchains.json@2f846c0aa790516c49299914488623ecb31b1d2b';

export const PUBLISHED_CHAINS: readonly PublishedChainCase[] = [
  // --- no extra parameters: 8000 + magic % 7777 -------------------------------------------------------
  {
    label: 'KOIN',
    params: { name: 'KOIN', supply: 125000000 },
    paramsSource: S8_JSON,
    netmagic: '764c56b6',
    p2p: 10701,
    rpc: 10702,
    extraParams: false,
    source: 'jl777/SuperNET:iguana/coins/koin_7776@c3ab65f34d01edf0dda06f7fac885934399ce64b',
  },
  {
    label: 'ILN (ac_cc alone adds no extra parameters)',
    params: { name: 'ILN', supply: 10000000000, cc: 2 },
    paramsSource: S8_JSON,
    netmagic: 'feb4cb23',
    p2p: 12985,
    rpc: 12986,
    extraParams: false,
    source: 'jl777/SuperNET:iguana/coins/iln_7776@9bb4b4bdad8aeb35ab42af8d54a1ccf78cd40cdb',
  },
  {
    label: 'BOTS',
    params: { name: 'BOTS', supply: 999999 },
    paramsSource: 'KomodoPlatform/dPoW:iguana/assetchains.json@1e3252c742d70360802de435ff267415a09bdd89',
    netmagic: 'ec562904',
    p2p: 11963,
    rpc: 11964,
    extraParams: false,
    source: 'jl777/SuperNET:iguana/coins/bots_7776@0bcbad79fd3bf453414cd7fcf554c41b6a9c1da7',
  },
  {
    label: 'NINJA',
    params: { name: 'NINJA', supply: 100000000 },
    paramsSource: 'KomodoPlatform/dPoW:iguana/assetchains.json@a2a30a13d1b7b26d8266ff845da351ae08d8419f',
    netmagic: undefined,
    staleNetmagic: '78a7bd45',
    p2p: 8426,
    rpc: 8427,
    extraParams: false,
    source: 'jl777/SuperNET:iguana/coins/ninja_7776@0bcbad79fd3bf453414cd7fcf554c41b6a9c1da7',
  },
  {
    label: 'DEX',
    params: { name: 'DEX', supply: 999999 },
    paramsSource: 'KomodoPlatform/dPoW:iguana/assetchains.json@3a2a58644a3761b69717c1350cd334b9b46902a0',
    netmagic: undefined,
    staleNetmagic: 'f2ae0516',
    p2p: 11889,
    rpc: 11890,
    extraParams: false,
    source: 'jl777/SuperNET:iguana/coins/dex_7776@535892b73158a239ca9e458ce6611408699c2eb7',
  },
  {
    label: 'SUPERNET',
    params: { name: 'SUPERNET', supply: 816061 },
    paramsSource: 'KomodoPlatform/dPoW:iguana/assetchains.json@a2a30a13d1b7b26d8266ff845da351ae08d8419f',
    netmagic: undefined,
    staleNetmagic: 'cc55d9d4',
    p2p: 11340,
    rpc: 11341,
    extraParams: false,
    source: 'jl777/SuperNET:iguana/coins/supernet_7776@1db6d0af0da169f6e31f2ef0df0d0eab5c89b2da',
  },
  // --- extra parameters: 16000 + magic % 49500 --------------------------------------------------------
  {
    label: 'CCL',
    params: { name: 'CCL', supply: 200000000, end: [1n], cc: 2 },
    paramsSource: S8_JSON,
    netmagic: '5c31ff66',
    p2p: 20848,
    rpc: 20849,
    extraParams: true,
    source: 'jl777/SuperNET:iguana/coins/ccl_7776@68e2f07f1e92977b4e5fbd5fc95c6bb3ef61109b',
  },
  {
    label: 'PIRATE (ac_private, halving 77777)',
    params: { name: 'PIRATE', supply: 0, reward: [25600000000n], halving: [77777n], private: 1 },
    paramsSource: S8_JSON,
    netmagic: '58e0b617',
    p2p: 45452,
    rpc: 45453,
    extraParams: true,
    source: 'jl777/SuperNET:iguana/coins/pirate_7776@bff61daffb5076ee649ef851628333fe28d93c72',
  },
  {
    label: 'THC (7 eras, ac_script, ac_ccenable, ac_founders, ac_perc, ac_cbmaturity)',
    params: {
      name: 'THC',
      supply: 251253103,
      reward: [360000000n, 300000000n, 240000000n, 180000000n, 150000000n, 90000000n, 0n],
      staked: 100,
      eras: 7,
      end: [500001n, 1000001n, 1500001n, 2000001n, 2500001n, 4500001n, 0n],
      perc: 233333333,
      cc: 2,
      ccenable: [229, 236, 240],
      script:
        '2ea22c8020987fad30df055db6fd922c3a57e55d76601229ed3da3b31340112e773df3d0d28103120c008203000401ccb8',
      founders: 150,
      cbmaturity: 1,
      sapling: 1,
    },
    paramsSource: S8_JSON,
    netmagic: '7d59c4bd',
    p2p: 36789,
    rpc: 36790,
    extraParams: true,
    source: 'jl777/SuperNET:iguana/coins/thc_7776@7772ce90d11b5bca02239baa8caa761815ca8b35',
  },
  {
    label: 'CLC (ac_pubkey, ac_founders, ac_snapshot, ac_adaptivepow)',
    params: {
      name: 'CLC',
      supply: 99000000,
      reward: [50000000n],
      perc: 100000000,
      founders: 1,
      cc: 45,
      public: 1,
      snapshot: 1440,
      pubkey: '02df9bda7bfe2bcaa938b29a399fb0ba58cfb6cc3ddc0001062a600f60a8237ad9',
      adaptivepow: 6,
    },
    paramsSource: S8_JSON,
    netmagic: '5b3df4d7',
    p2p: 20931,
    rpc: 20932,
    extraParams: true,
    source: 'KomodoPlatform/dPoW:iguana/coins/clc_7776@700aab4946f533fa88c54de939dc8906476248b5',
  },
  {
    label: 'BCZERO',
    params: { name: 'BCZERO', supply: 9999999999, end: [1n], public: 1, staked: 50 },
    paramsSource: S8_JSON,
    netmagic: 'd5bbbd09',
    p2p: 45833,
    rpc: 45834,
    extraParams: true,
    source: 'KomodoPlatform/dPoW:iguana/coins/bczero_7776@def8e52c32f4916ed8cdbe3f0e8c324e16b6acc1',
  },
  {
    label: 'MDX',
    params: { name: 'MDX', supply: 999999999, end: [1n], public: 1, staked: 50 },
    paramsSource: S8_JSON,
    netmagic: '0919fb15',
    p2p: 18481,
    rpc: 18482,
    extraParams: true,
    source: 'KomodoPlatform/dPoW:iguana/coins/mdx_7776@def8e52c32f4916ed8cdbe3f0e8c324e16b6acc1',
  },
  {
    label: 'RAPH',
    params: { name: 'RAPH', supply: 999999999, end: [1n], public: 1, staked: 50 },
    paramsSource: S8_JSON,
    netmagic: 'b86aa415',
    p2p: 30260,
    rpc: 30261,
    extraParams: true,
    source: 'KomodoPlatform/dPoW:iguana/coins/raph_7776@86db2fc03255d6615826ebe00e78b2183b41b22f',
  },
  {
    label: 'GLEEC_OLD (ac_name GLEEC, datadir GLEEC_OLD)',
    params: { name: 'GLEEC', supply: 210000000, public: 1, staked: 100 },
    paramsSource: S8_JSON,
    netmagic: 'dd1ac36c',
    p2p: 23225,
    rpc: 23226,
    extraParams: true,
    source: 'KomodoPlatform/dPoW:iguana/coins/gleecold_7776@a2a30a13d1b7b26d8266ff845da351ae08d8419f',
  },
  {
    label: 'GLEEC (new, 2024)',
    params: { name: 'GLEEC', supply: 1000000000, end: [1n], public: 1, staked: 50 },
    paramsSource: S8_JSON,
    netmagic: 'dce12147',
    p2p: 23344,
    rpc: 23345,
    extraParams: true,
    source:
      'KomodoPlatform/dPoW:iguana/checkGLEEC.sh@d500d317771dd5f56d367b24aeba0eac61cd47b8 (GLEEC_EXPECTED magic bytes) ' +
      'and doc/update0716.md ("ufw allow 23344/tcp"); rpc is p2p + 1',
  },
  // --- testnet (2024) ---------------------------------------------------------------------------------
  {
    label: 'DOC (testnet)',
    params: { name: 'DOC', supply: 90000000000, reward: [100000000n], cc: 3, staked: 10 },
    paramsSource: 'KomodoPlatform/dPoW:iguana/assetchains.json@a2a30a13d1b7b26d8266ff845da351ae08d8419f',
    netmagic: '33846f56',
    p2p: 62415,
    rpc: 62416,
    extraParams: true,
    source: 'KomodoPlatform/dPoW:iguana/coins/doc_7776@591b923ba0cab8964431bc9e2ba4e13b246f15e0',
  },
  {
    label: 'MARTY (testnet)',
    params: { name: 'MARTY', supply: 90000000000, reward: [100000000n], cc: 3, staked: 10 },
    paramsSource: 'KomodoPlatform/dPoW:iguana/assetchains.json@a2a30a13d1b7b26d8266ff845da351ae08d8419f',
    netmagic: '9ccb2c63',
    p2p: 52592,
    rpc: 52593,
    extraParams: true,
    source: 'KomodoPlatform/dPoW:iguana/coins/marty_7776@6aca5a512e35daf5b36697e61ccba9f496c5e266',
  },
  // --- KMD ----------------------------------------------------------------------------------------------
  {
    label: 'KMD',
    params: { name: 'KMD' },
    paramsSource: 'komodod without -ac_name',
    netmagic: 'f9eee48d',
    p2p: 7770,
    rpc: 7771,
    extraParams: false,
    source: 'jl777/SuperNET:iguana/coins/kmd_7776@09fe6df523eff2837aefbde335bc036414d925be',
  },
];
