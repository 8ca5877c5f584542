package org.likeness.server.http;

/** An error answered as {@code application/problem+json} (RFC 9457) with this status and a clear title. */
public final class Problem extends RuntimeException {
  private final int status;
  private final String title;
  private final int retryAfter;

  public Problem(int status, String title, String detail) {
    this(status, title, detail, 0);
  }

  public Problem(int status, String title, String detail, int retryAfterSeconds) {
    super(detail);
    this.status = status;
    this.title = title;
    this.retryAfter = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** Seconds for a Retry-After header, 0 for none. */
  public int retryAfter() {
    return retryAfter;
  }
}
