/**
 * Real Redis servers for the transport's tests: the shared one ({@code REDIS_URL}, a {@code redis-server}
 * started from the PATH, or Testcontainers) and private ones that a test may stop, freeze or restart.
 */
package io.hexbus.redis.testing;
