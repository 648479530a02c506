/**
 * The parts of API objects the adapter reads. Structural, because objects come two ways: from the
 * typed client (timestamps as Date) and from watches (plain JSON, timestamps as RFC 3339 strings).
 */
export type Time = Date | string;

export interface Meta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: ReadonlyArray<{ readonly uid: string; readonly kind: string }>;
  readonly deletionTimestamp?: Time;
}

export interface ContainerStateLike {
  readonly running?: { readonly startedAt?: Time };
  readonly terminated?: {
    readonly exitCode: number;
    readonly reason?: string;
    readonly startedAt?: Time;
    readonly finishedAt?: Time;
  };
  readonly waiting?: { readonly reason?: string; readonly message?: string };
}

export interface ContainerStatusLike {
  readonly name: string;
  readonly image: string;
  readonly ready: boolean;
  readonly restartCount: number;
  readonly containerID?: string;
  readonly state?: ContainerStateLike;
  readonly lastState?: ContainerStateLike;
}

export interface PodLike {
  readonly metadata?: Meta;
  readonly spec?: {
    readonly nodeName?: string;
    readonly terminationGracePeriodSeconds?: number;
    readonly initContainers?: ReadonlyArray<ContainerLike>;
    readonly containers: ReadonlyArray<ContainerLike>;
  };
  readonly status?: {
    readonly phase?: string;
    readonly hostIP?: string;
    readonly initContainerStatuses?: ReadonlyArray<ContainerStatusLike>;
    readonly containerStatuses?: ReadonlyArray<ContainerStatusLike>;
  };
}

export interface ContainerLike {
  readonly name: string;
  readonly image?: string;
  readonly ports?: ReadonlyArray<{
    readonly containerPort: number;
    readonly hostPort?: number;
    readonly name?: string;
  }>;
}

export interface StatefulSetLike {
  readonly metadata?: Meta;
  readonly spec?: {
    readonly replicas?: number;
    readonly template: { readonly metadata?: Meta; readonly spec?: PodLike['spec'] };
  };
}

export const toDate = (t: Time | undefined): Date | null => (t === undefined ? null : new Date(t));
