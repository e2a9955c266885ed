-- bench/load.sh's wrk reporter: one machine-readable line after the run (wrk --latency prints no p95).
-- Latencies in microseconds; errors are wrk's connect/read/write errors, non-2xx/3xx statuses and timeouts.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f p50=%d p95=%d p99=%d max=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
