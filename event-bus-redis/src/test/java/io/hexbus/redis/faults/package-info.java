/**
 * Faults that need separate processes: worker JVMs killed or frozen mid-handler, against a private Redis.
 */
package io.hexbus.redis.faults;
