/**
 * The queue admin HTTP API and the dashboard, as Javalin routes over {@link io.hexbus.api.admin.QueueAdmin}:
 * {@link io.hexbus.admin.http.HexbusAdmin} adds them to an app. Token-protected, errors as RFC 7807 problem
 * documents; {@code docs/http-admin.md} lists the routes. Knows no transport.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.admin.http;
