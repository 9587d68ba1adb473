/**
 * Webhooks: checking a job's webhook URL at submit (scheme, userinfo, every address its host resolves to), and the
 * dispatcher that sends each ended job's delivery from the schedule in Redis, signed per the Standard Webhooks spec,
 * to the very address it checked, retrying with backoff. Gateways send webhooks; workers never do.
 */
package rrunner.gateway.webhooks;
