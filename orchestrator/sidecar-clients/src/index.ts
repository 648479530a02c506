export {
  type AddCoinOutcome,
  IguanaClient,
  type IguanaCoinView,
  type IguanaStatusView,
} from './iguana-client.js';
export { parseReply, SidecarReplyError } from './reply-error.js';
export { SidecarClient } from './sidecar-client.js';
