/**
 * The gateway's settings ({@link rrunner.gateway.config.GatewayProperties}, bound from the documented
 * {@code UPPER_SNAKE} environment names in {@code application.yaml}) and the beans that wire features together.
 */
package rrunner.gateway.config;
