import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { TrafficService } from '../stats/traffic.service';

/** Per-backend traffic, latency and errors of the public /compile (Prometheus and history). */
@Injectable()
export class PlayMetrics {
  private readonly requests: Counter<'backend' | 'outcome' | 'cache'>;
  private readonly latency: Histogram<'backend'>;

  constructor(registry: Registry, private readonly traffic: TrafficService) {
    this.requests = new Counter({ name: 'playground_compile_total', help: '/compile answers by backend, outcome (ok, error, failure) and cache (hit, miss)', labelNames: ['backend', 'outcome', 'cache'], registers: [registry] });
    this.latency = new Histogram({ name: 'playground_compile_seconds', help: '/compile latency by backend', labelNames: ['backend'], buckets: [0.002, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], registers: [registry] });
  }

  observe(backend: string, ms: number, outcome: 'ok' | 'error' | 'failure', cached: boolean): void {
    this.requests.inc({ backend, outcome, cache: cached ? 'hit' : 'miss' });
    this.latency.observe({ backend }, ms / 1000);
    this.traffic.record(backend, ms, outcome);
  }
}
