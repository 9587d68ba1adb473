/**
 * The public, read-only endpoints of the reference contract: {@code /health}, {@code /system}, {@code /schema},
 * {@code /} and {@code /privacy}. None needs a token; only {@code /system} touches Redis.
 */
package rrunner.gateway.info;
