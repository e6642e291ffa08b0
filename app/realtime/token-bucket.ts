/**
 * A token bucket: `capacity` events at once, then one every `refillMs`. Kept per socket in
 * the process that holds the socket, so it costs nothing to ask and a client that pauses
 * gets its full burst back.
 */
export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    private readonly capacity: number,
    private readonly refillMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = capacity
    this.updatedAt = clock()
  }

  /** Takes a token if there is one. */
  take(): boolean {
    const now = this.clock()
    const refilled = Math.max(0, now - this.updatedAt) / this.refillMs
    this.tokens = Math.min(this.capacity, this.tokens + refilled)
    this.updatedAt = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
