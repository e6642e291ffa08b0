/**
 * Fixed-window counters in process memory. One app node is the embedded default; several
 * nodes behind a balancer each count their own share, which only loosens the limit.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>()

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one attempt for `key`; returns how long to wait when the limit is exceeded. */
  hit(key: string, now = Date.now()): { allowed: boolean; retryAfterSeconds: number } {
    if (this.hits.size > 10_000) this.sweep(now)
    let entry = this.hits.get(key)
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + this.windowMs }
      this.hits.set(key, entry)
    }
    entry.count += 1
    const allowed = entry.count <= this.limit
    return { allowed, retryAfterSeconds: allowed ? 0 : Math.ceil((entry.resetAt - now) / 1000) }
  }

  reset() {
    this.hits.clear()
  }

  private sweep(now: number) {
    for (const [key, entry] of this.hits) if (entry.resetAt <= now) this.hits.delete(key)
  }
}

/** Tiers, strictest on the doors that guess passwords or create accounts. */
export const rateLimits = {
  login: new RateLimiter(20, 10 * 60 * 1000),
  loginPerAccount: new RateLimiter(10, 10 * 60 * 1000),
  register: new RateLimiter(10, 60 * 60 * 1000),
  mutation: new RateLimiter(300, 60 * 1000),
}

export function formatRetryAfter(seconds: number) {
  return seconds >= 60 ? `${Math.ceil(seconds / 60)} 分钟` : `${seconds} 秒`
}
