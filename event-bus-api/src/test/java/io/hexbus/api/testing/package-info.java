/**
 * Support shared by the tests of every hexbus module, shipped in the {@code tests} jar of {@code event-bus-api}:
 * per-test log files ({@link io.hexbus.api.testing.TestLogs}) and child processes stopped as whole trees
 * ({@link io.hexbus.api.testing.ChildProcesses}).
 */
package io.hexbus.api.testing;
