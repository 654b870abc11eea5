import { BadRequestException, Injectable } from '@nestjs/common';
import { randomInt } from 'crypto';
import { ControlService } from '../control/control.service';
import { BackendRegistry } from '../backends/backend-registry';
import { rolloutBucket } from './bucket';
import { decideRelease, decideRoute, RouteDecision } from './route-decision';
import type { LinuxAmd64Backend } from '../backends/linux-amd64.backend';

export const BACKEND_HEADER = 'x-playground-backend';

/** Gathers a request's facts (flags, header, bucket, availability) and makes the route decision. */
@Injectable()
export class RouteService {
  constructor(private readonly control: ControlService, private readonly backends: BackendRegistry) {}

  /** `release`: the other Go release the request named (`backend=goprev`), if any. */
  decide(source: string, header: string | undefined, release?: LinuxAmd64Backend): RouteDecision {
    let requested: 'linux-amd64' | 'nacl' | undefined;
    if (header !== undefined && header !== '') {
      const v = header.trim().toLowerCase();
      if (v !== 'linux-amd64' && v !== 'nacl') {
        throw new BadRequestException(`X-Playground-Backend must be "linux-amd64" or "nacl", not "${header.slice(0, 40)}"`);
      }
      requested = v;
    }
    if (release) {
      if (requested === 'nacl') throw new BadRequestException(`X-Playground-Backend: nacl runs the default Go release only, not backend=${release.release!.name}`);
      return decideRelease(release.release!.name, this.backends.choice(release)!);
    }
    const state = this.control.state();
    return decideRoute({
      flags: state,
      requested,
      source,
      bucket: rolloutBucket(source, state.bucketSalt),
      shadowDraw: randomInt(10_000),
      linuxAmd64: this.backends.choice(this.backends.linuxAmd64)!,
      legacy: this.backends.choice(this.backends.legacy()),
    });
  }
}
