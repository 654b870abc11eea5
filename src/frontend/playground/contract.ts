// The wire shapes of the public Go playground API (../shared/docs/playground-protocol.md).
// Field names are the contract's, capitalised as play.golang.org sends them.

export type StreamKind = 'stdout' | 'stderr';

export interface PlaybackEvent {
  Message: string;
  Kind: StreamKind;
  /** Nanoseconds of virtual time since the previous clock-advancing event. */
  Delay: number;
}

export interface CompileResponse {
  Errors: string;
  Events: PlaybackEvent[] | null;
  Status: number;
  IsTest: boolean;
  TestsFailed: number;
  VetErrors?: string;
  VetOK?: boolean;
}
