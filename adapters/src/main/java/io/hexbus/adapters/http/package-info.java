/**
 * The HTTP adapter: a small Javalin server with the token-protected queue admin API (statistics and the
 * dead-letter queue of {@link io.hexbus.api.admin.QueueAdmin}) and an unauthenticated health check. Bound to
 * loopback by default; errors are RFC 7807 problem details. {@code docs/http-admin.md} lists the routes.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.adapters.http;
