/** The wiring both apps import: the Redis client and queue, and the environment catalogue. */
package rrunner.common.config;
