import { QueueFull } from '../../platform/bounded-queue';

/** More builds wait than BUILD_QUEUE_LIMIT allows: a 503, try again shortly. */
export class BuildQueueFull extends QueueFull {}
