/**
 * The composition root of the sample service: the only package that knows every module, and the one that
 * chooses the transport.
 */
package io.hexbus.app;
