/**
 * An event of an owned unit container, or of an engine connection. Reconcile treats them as hints and
 * still sweeps: streams lose events while an engine restarts (they resume with `since`, which can
 * replay a few: handle them idempotently).
 */
export type RuntimeEvent =
  | {
      readonly kind: 'container';
      readonly node: string;
      readonly unit: string;
      readonly role: 'sidecar' | 'daemon';
      readonly containerId: string;
      readonly action: 'start' | 'die' | 'destroy' | 'health';
      /** For 'die': the exit code. */
      readonly exitCode: number | null;
      /** For 'health': healthy | unhealthy. */
      readonly health: string | null;
      readonly time: Date;
    }
  | {
      /** The node's event stream broke ('lost') or came back ('restored'): sweep that node. */
      readonly kind: 'node';
      readonly node: string;
      readonly action: 'lost' | 'restored';
      readonly time: Date;
      readonly error: string | null;
    };
