import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PoolObserver } from './container-pool';

@Injectable()
export class SandboxMetrics implements PoolObserver {
  readonly runs: Counter<'pool' | 'outcome'>;
  readonly runSeconds: Histogram<'pool'>;
  private readonly poolReady: Gauge<'pool'>;
  private readonly startSeconds: Histogram<'pool'>;
  readonly queueDepth: Gauge;

  constructor(registry: Registry) {
    this.runs = new Counter({ name: 'sandbox_runs_total', help: 'Runs by pool and outcome (ok, exit, timeout, too_large, failure, busy, abandoned)', labelNames: ['pool', 'outcome'], registers: [registry] });
    this.runSeconds = new Histogram({ name: 'sandbox_run_seconds', help: 'Time from binary received to answer', labelNames: ['pool'], buckets: [0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2, 5, 10], registers: [registry] });
    this.poolReady = new Gauge({ name: 'sandbox_pool_ready', help: 'Started containers waiting for a program', labelNames: ['pool'], registers: [registry] });
    this.startSeconds = new Histogram({ name: 'sandbox_container_start_seconds', help: 'Container create+attach+start latency', labelNames: ['pool'], buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 5], registers: [registry] });
    this.queueDepth = new Gauge({ name: 'sandbox_queue_depth', help: 'Runs waiting for a slot', registers: [registry] });
  }

  containerStarted(pool: string, seconds: number): void {
    this.startSeconds.observe({ pool }, seconds);
  }

  readyChanged(pool: string, ready: number): void {
    this.poolReady.set({ pool }, ready);
  }
}
