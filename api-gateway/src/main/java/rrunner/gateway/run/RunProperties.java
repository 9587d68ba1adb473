package rrunner.gateway.run;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What happens to a {@code POST /run} whose caller goes away. Defaults live in {@code application.yaml}, next to
 * the environment names.
 *
 * @param cancelOnDisconnect {@code RUN_CANCEL_ON_DISCONNECT}: a {@code POST /run} whose caller disconnects before
 *     the result cancels its job, running or not; when false only a job still queued is withdrawn
 */
@Validated
@ConfigurationProperties("rrunner.run")
public record RunProperties(boolean cancelOnDisconnect) {
}
