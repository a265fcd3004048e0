/**
 * Tests of the architecture rules: each rule against fixtures that obey and break it, and every rule against
 * hexbus itself.
 */
package io.hexbus.architecture;
