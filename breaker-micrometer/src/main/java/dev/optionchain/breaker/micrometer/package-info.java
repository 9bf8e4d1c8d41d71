/** Micrometer metrics for {@code dev.optionchain.breaker} circuit breakers. */
package dev.optionchain.breaker.micrometer;
