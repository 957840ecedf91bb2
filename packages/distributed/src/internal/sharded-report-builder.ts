import type { Collective, MemberTraffic } from '../collective/collective.js';
import type { ShardReply } from '../collective/shard-protocol.js';
import type { GridShard, ShardedLayout } from '../sharded/sharded-layout.js';
import type { ShardedReport, ShardedWorkerReport } from '../sharded/sharded-report.js';

/** @internal Accumulates the timings and traffic of one prepared sharded kernel. */
export class ShardedReportBuilder {
  private readonly baseline: readonly MemberTraffic[];
  private shards: readonly GridShard[] = [];
  private readonly layout: ShardedLayout;
  private backends: readonly string[] = [];
  private passes = 0;
  private passSeconds = 0;
  private computeSeconds = 0;
  private prepareSeconds = 0;
  private prepareBytes = 0;

  constructor(
    private readonly collective: Collective,
    layout: ShardedLayout,
  ) {
    this.baseline = collective.traffic();
    this.layout = layout;
  }

  prepared(seconds: number, shards: readonly GridShard[], backends: readonly string[]): void {
    this.prepareSeconds = seconds;
    this.prepareBytes = this.totalBytes(this.collective.traffic());
    this.shards = shards;
    this.backends = backends;
  }

  pass(seconds: number, replies: readonly ShardReply[]): void {
    this.passes += 1;
    this.passSeconds += seconds;
    let slowest = 0;
    for (const reply of replies) {
      if (reply.header.ok) slowest = Math.max(slowest, reply.header.computeMilliseconds / 1000);
    }
    this.computeSeconds += slowest;
  }

  private totalBytes(traffic: readonly MemberTraffic[]): number {
    return traffic.reduce(
      (sum, member, rank) =>
        sum +
        member.bytesSent +
        member.bytesReceived -
        (this.baseline[rank]?.bytesSent ?? 0) -
        (this.baseline[rank]?.bytesReceived ?? 0),
      0,
    );
  }

  build(): ShardedReport {
    const traffic = this.collective.traffic();
    const workers: ShardedWorkerReport[] = traffic.map((member, rank) => {
      const base = this.baseline[rank];
      return {
        ...member,
        requests: member.requests - (base?.requests ?? 0),
        messages: member.messages - (base?.messages ?? 0),
        bytesSent: member.bytesSent - (base?.bytesSent ?? 0),
        bytesReceived: member.bytesReceived - (base?.bytesReceived ?? 0),
        computeSeconds: member.computeSeconds - (base?.computeSeconds ?? 0),
        rowBlock: this.shards[rank]?.rowBlock ?? rank,
        columnBlock: this.shards[rank]?.columnBlock ?? 0,
        rowStart: this.shards[rank]?.rowStart ?? 0,
        rowCount: this.shards[rank]?.rowCount ?? 0,
        columnStart: this.shards[rank]?.columnStart ?? 0,
        columnCount: this.shards[rank]?.columnCount ?? 0,
        backend: this.backends[rank] ?? '',
      };
    });
    const communicationSeconds = Math.max(0, this.passSeconds - this.computeSeconds);
    return {
      layout: this.layout,
      workers,
      passes: this.passes,
      passSeconds: this.passSeconds,
      computeSeconds: this.computeSeconds,
      communicationSeconds,
      communicationShare: this.passSeconds > 0 ? communicationSeconds / this.passSeconds : 0,
      bytesSent: workers.reduce((sum, worker) => sum + worker.bytesSent, 0),
      bytesReceived: workers.reduce((sum, worker) => sum + worker.bytesReceived, 0),
      passBytes: this.totalBytes(traffic) - this.prepareBytes,
      prepareSeconds: this.prepareSeconds,
    };
  }
}
