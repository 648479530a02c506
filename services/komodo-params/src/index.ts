export { acNameProblem } from './ac-name.js';
export {
  ASSETCHAIN_ENTRY_KEYS,
  type AssetchainEntry,
  assetchainEntrySchema,
  assetchainsFileSchema,
  type ChainIdentity,
  chainIdentity,
  entryToArgs,
} from './assetchains-json.js';
export {
  ASSETCHAIN_CONSTANTS,
  BTC_CONSTANTS,
  type ChainConstants,
  KMD_CONSTANTS,
  LTC_CONSTANTS,
  NOTARY_CONSTANTS,
} from './chain-constants.js';
export { type AssetchainParams, assetchainParamsFromOptions, isKmd, KMD_CHAIN } from './chain-params.js';
export {
  type AssetchainConfValues,
  KOMODOD_CONF_FILE_MODE,
  newAssetchainConfCredentials,
  parseConf,
  renderAssetchainConf,
} from './conf.js';
export { checkConsensusRules } from './consensus-rules.js';
export { crc32 } from './crc32.js';
export {
  confFileName,
  confFilePath,
  type DaemonFlavour,
  type DataDirQuery,
  defaultDataDir,
  mainConfName,
  notaryDestConfPath,
  parentKomodoConfPath,
} from './datadir.js';
export {
  DPOW_MINSIGS,
  type ElectedFile,
  ElectedFileError,
  type ElectedNotary,
  electedFileSchema,
  parseElectedFile,
} from './elected.js';
export { ConfParseError, KomodoArgsError } from './errors.js';
export {
  type FlagKind,
  type FlagSpec,
  isAssetchainFlag,
  isKomodoFlag,
  KOMODO_FLAGS,
  type KomodoFlagName,
  type KomodoOptions,
} from './flags.js';
export * from './komodo-limits.js';
export { assetMagic, extraParamsBuffer, magicBytes, netmagicHex } from './magic.js';
export {
  decodeNotarisationData,
  encodeNotarisationData,
  type NotarisationData,
  NotarisationDataError,
} from './notarisation-data.js';
export { type DevArg, type ParsedKomodoArgs, parseKomodoArgs } from './parse-args.js';
export { effectivePorts, KMD_P2P_PORT, KMD_RPC_PORT, p2pPort, rpcPort } from './ports.js';
export { coinbaseMaturity, type ResolvedAssetchain, resolveAssetchain, splitFill } from './resolve.js';
