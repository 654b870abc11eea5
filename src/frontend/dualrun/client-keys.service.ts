import { Injectable } from '@nestjs/common';
import { ControlService } from '../control/control.service';
import { clientKey } from './client-key';

/** Turns a client's address into its key with this database's secret (see client-key.ts). */
@Injectable()
export class ClientKeys {
  constructor(private readonly control: ControlService) {}

  of(address: string | undefined): string {
    return clientKey(this.control.state().clientKeySecret, address);
  }
}
