/**
 * ArchUnit rules that hold the shape of a hexbus service (design brief §1), as reusable factories that take
 * package names, so they can be pointed at hexbus itself or at any other hexagon.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.architecture;
