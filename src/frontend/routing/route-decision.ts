import { inRollout } from './bucket';

export interface BackendChoice {
  id: string;
  available: boolean;
  reason?: string;
}

export interface RouteFlags {
  rolloutBp: number;
  shadowBp: number;
  optInHeader: boolean;
  optInComment: boolean;
  killSwitch: boolean;
  releaseDay: boolean;
}

export interface RouteInput {
  flags: RouteFlags;
  /** The engineer's X-Playground-Backend header, already validated. */
  requested?: 'linux-amd64' | 'nacl';
  source: string;
  /** The program's rollout bucket, 0..9999. */
  bucket: number;
  /** A uniform draw in 0..9999 for shadow sampling. */
  shadowDraw: number;
  linuxAmd64: BackendChoice;
  /** The backend in the legacy role; absent once NaCl support is removed. */
  legacy?: BackendChoice;
}

export type RouteDecision =
  | { kind: 'route'; primary: string; shadow?: string; reason: string }
  | { kind: 'refuse'; status: 410 | 503; message: string };

export const OPT_IN_COMMENT = '//play:gvisor';
export const NACL_RETIRED = 'NaCl was retired on Go 1.14 release day: every program now runs as linux/amd64 under gVisor. Remove the X-Playground-Backend: nacl header.';

/**
 * Chooses the backend for one /compile. First matching rule wins: release day, kill switch,
 * engineer opt-in, percentage rollout, legacy. An unavailable choice is never used silently.
 */
export function decideRoute(input: RouteInput): RouteDecision {
  const { flags, linuxAmd64, legacy } = input;
  if (flags.releaseDay) {
    if (input.requested === 'nacl') return { kind: 'refuse', status: 410, message: NACL_RETIRED };
    return finish(input, linuxAmd64, undefined, 'release day: linux-amd64 for everyone', false);
  }
  if (flags.killSwitch) return finish(input, legacy, linuxAmd64, 'kill switch: legacy for everyone', false);
  if (flags.optInHeader && input.requested) {
    const wanted = input.requested === 'nacl' ? legacy : linuxAmd64;
    return finish(input, wanted, wanted === linuxAmd64 ? legacy : linuxAmd64, `opt-in header: ${input.requested}`, true);
  }
  if (flags.optInComment && input.source.includes(OPT_IN_COMMENT)) {
    return finish(input, linuxAmd64, legacy, `opt-in comment ${OPT_IN_COMMENT}`, true);
  }
  if (inRollout(input.bucket, flags.rolloutBp / 100)) {
    return finish(input, linuxAmd64, legacy, `rollout: bucket ${input.bucket} < ${flags.rolloutBp}`, true);
  }
  return finish(input, legacy, linuxAmd64, `legacy: bucket ${input.bucket} >= rollout ${flags.rolloutBp}`, true);
}

/**
 * A request naming another Go release (`backend=goprev`): that release's backend, which only
 * the new platform has, or a 503 saying why it cannot run. Not sampled for dual runs: those
 * compare the platforms on the default release.
 */
export function decideRelease(name: string, release: BackendChoice): RouteDecision {
  if (!release.available) return { kind: 'refuse', status: 503, message: `backend ${name} cannot run programs right now: ${release.id} unavailable (${release.reason ?? 'no reason given'})` };
  return { kind: 'route', primary: release.id, reason: `backend=${name}: ${release.id}` };
}

function finish(input: RouteInput, wanted: BackendChoice | undefined, other: BackendChoice | undefined, reason: string, mayShadow: boolean): RouteDecision {
  let primary = wanted;
  if (!primary || !primary.available) {
    const why = primary ? `${primary.id} unavailable (${primary.reason ?? 'no reason given'})` : 'no legacy backend is registered';
    if (!other || !other.available) {
      return { kind: 'refuse', status: 503, message: `no backend can run programs right now: ${why}${other ? `; ${other.id} unavailable (${other.reason ?? 'no reason given'})` : ''}` };
    }
    reason = `${reason}; ${why}, fell back to ${other.id}`;
    primary = other;
    other = undefined;
  }
  const shadowed = mayShadow && other?.available && input.shadowDraw < input.flags.shadowBp;
  return { kind: 'route', primary: primary.id, ...(shadowed ? { shadow: other!.id } : {}), reason };
}
