/**
 * The async job API: {@code POST /jobs} queues a script and answers 202 with the job's id, {@code GET /jobs/{id}}
 * reads (or long-polls) it, {@code DELETE /jobs/{id}} cancels it, {@code GET /jobs/{id}/events} streams its
 * events. Jobs are kept for {@code RESULT_TTL} after they finish, then answer 404.
 */
package rrunner.gateway.jobs;
